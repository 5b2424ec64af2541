import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';
import { withStoreOptions } from './options.js';

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage user accounts');
  withStoreOptions(
    user
      .command('create')
      .description('create a user; with --owner, the first owner and their organization')
      .requiredOption('--email <email>', 'sign-in email')
      .requiredOption('--name <name>', 'display name')
      .option('--password <password>', 'password (prefer --password-stdin)')
      .option('--password-stdin', 'read the password from standard input')
      .option('--owner', 'create the instance owner (only when no user exists yet) with an organization')
      .option('--org-name <name>', "name of the owner's organization", 'My organization'),
  ).action(lazyAction(async () => (await import('./user-run.js')).createUserCommand));

  withStoreOptions(
    user
      .command('set-password')
      .description("set a user's password (when they cannot reset it by mail); signs out all their sessions")
      .requiredOption('--email <email>', 'sign-in email of the user')
      .option('--password <password>', 'new password (prefer --password-stdin)')
      .option('--password-stdin', 'read the new password from standard input'),
  ).action(lazyAction(async () => (await import('./user-run.js')).setPasswordCommand));
}
