import { findUserByEmail } from '../accounts/users.js';
import { createOrg } from '../teams/service.js';
import { withMigratedStore, type StoreFlags } from './context.js';

/** `chorus org create`. */
export async function createOrgCommand(flags: StoreFlags & { name: string; ownerEmail: string }): Promise<void> {
  await withMigratedStore(flags, async (store) => {
    const owner = await findUserByEmail(store.db, flags.ownerEmail);
    if (!owner) throw new Error(`No user with email ${flags.ownerEmail}; create one with \`chorus user create\``);
    const created = await createOrg(store.db, () => new Date(), { name: flags.name, ownerUserId: owner.id });
    console.log(`Created organization "${created.name}" (${created.id})`);
  });
}
