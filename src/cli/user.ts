import type { Command } from 'commander';
import { z } from 'zod';
import { Email, Password, PersonName } from '../accounts/schemas.js';
import { countUsers, createUser } from '../accounts/users.js';
import { inTransaction } from '../store/transaction.js';
import { createOrg } from '../teams/service.js';
import { withMigratedStore, type StoreFlags } from './context.js';
import { withStoreOptions } from './options.js';
import { readPassword } from './password-input.js';

const UserInput = z.object({ email: Email, name: PersonName, password: Password });

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
      .option('--org-name <name>', 'name of the owner\'s organization', 'My organization'),
  ).action(async (flags: StoreFlags & { email: string; name: string; password?: string; passwordStdin?: boolean; owner?: boolean; orgName: string }) => {
    const input = UserInput.parse({ email: flags.email, name: flags.name, password: await readPassword(flags) });
    await withMigratedStore(flags, async (store) => {
      const created = await inTransaction(store.db, async (tx) => {
        if (flags.owner && (await countUsers(tx)) > 0) throw new Error('An owner already exists; create other users through invitations');
        const created = await createUser(tx, () => new Date(), input);
        if (flags.owner) await createOrg(tx, () => new Date(), { name: flags.orgName, ownerUserId: created.id });
        return created;
      });
      console.log(`Created user ${created.email} (${created.id})${flags.owner ? ` as owner of "${flags.orgName}"` : ''}`);
    });
  });
}
