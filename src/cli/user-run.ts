import { z } from 'zod';
import { replacePassword } from '../accounts/password-reset.js';
import { hashPassword } from '../accounts/passwords.js';
import { Email, Password, PersonName } from '../accounts/schemas.js';
import { countUsers, createUser, findUserByEmail, normalizeEmail } from '../accounts/users.js';
import { inTransaction } from '../store/transaction.js';
import { createOrg } from '../teams/service.js';
import { withMigratedStore, type StoreFlags } from './context.js';
import { readPassword } from './password-input.js';

const UserInput = z.object({ email: Email, name: PersonName, password: Password });

/** `chorus user create`. */
export async function createUserCommand(
  flags: StoreFlags & { email: string; name: string; password?: string; passwordStdin?: boolean; owner?: boolean; orgName: string },
): Promise<void> {
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
}

/** `chorus user set-password`. */
export async function setPasswordCommand(flags: StoreFlags & { email: string; password?: string; passwordStdin?: boolean }): Promise<void> {
  const input = z.object({ email: Email, password: Password }).parse({ email: flags.email, password: await readPassword(flags) });
  const passwordHash = await hashPassword(input.password);
  await withMigratedStore(flags, async (store) => {
    const found = await findUserByEmail(store.db, input.email);
    if (!found) throw new Error(`No user with email ${normalizeEmail(input.email)}`);
    const { email } = await replacePassword(store.db, found.id, passwordHash);
    console.log(`Set a new password for ${email}; their sessions are signed out`);
  });
}
