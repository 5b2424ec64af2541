import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';
import { withStoreOptions } from './options.js';

export function registerOrgCommands(program: Command): void {
  const org = program.command('org').description('manage organizations');
  withStoreOptions(
    org
      .command('create')
      .description('create an organization owned by an existing user')
      .requiredOption('--name <name>', 'organization name')
      .requiredOption('--owner-email <email>', 'email of the user who will own it'),
  ).action(lazyAction(async () => (await import('./org-run.js')).createOrgCommand));
}
