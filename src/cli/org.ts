import type { Command } from 'commander';
import { normalizeEmail } from '../accounts/users.js';
import { createOrg } from '../teams/service.js';
import { withMigratedStore, type StoreFlags } from './context.js';
import { withStoreOptions } from './options.js';

export function registerOrgCommands(program: Command): void {
  const org = program.command('org').description('manage organizations');
  withStoreOptions(
    org
      .command('create')
      .description('create an organization owned by an existing user')
      .requiredOption('--name <name>', 'organization name')
      .requiredOption('--owner-email <email>', 'email of the user who will own it'),
  ).action(async (flags: StoreFlags & { name: string; ownerEmail: string }) => {
    await withMigratedStore(flags, async (store) => {
      const owner = await store.db.selectFrom('users').select('id').where('email', '=', normalizeEmail(flags.ownerEmail)).executeTakeFirst();
      if (!owner) throw new Error(`No user with email ${flags.ownerEmail}; create one with \`chorus user create\``);
      const created = await createOrg(store.db, () => new Date(), { name: flags.name, ownerUserId: owner.id });
      console.log(`Created organization "${created.name}" (${created.id})`);
    });
  });
}
