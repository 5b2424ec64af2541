import { withMigratedStore, type StoreFlags } from './context.js';
import { resealTwoFactorSecrets } from '../accounts/two-factor.js';
import { inTransaction } from '../store/transaction.js';
import { rotateCredentialsKey } from '../channels/key-rotation.js';

/** `chorus keys rotate` (registered in keys.ts). */
export async function rotateKeysCommand(flags: StoreFlags & { oldKey?: string; newKey?: string }): Promise<void> {
  if (!flags.oldKey || !flags.newKey) throw new Error('Give both keys: --old-key and --new-key (or CHORUS_OLD_SECRET_KEY and CHORUS_NEW_SECRET_KEY)');
  if (flags.newKey.length < 16) throw new Error('The new key must be at least 16 characters');
  await withMigratedStore(flags, async (store) => {
    const { channels, twoFactor } = await inTransaction(store.db, async (tx) => ({
      channels: await rotateCredentialsKey(tx, flags.oldKey!, flags.newKey!),
      twoFactor: await resealTwoFactorSecrets(tx, flags.oldKey!, flags.newKey!),
    }));
    console.log(`Re-encrypted ${channels.resealed} channel credential(s); ${channels.alreadyNew} already used the new key.`);
    console.log(`Re-encrypted ${twoFactor.resealed} two-factor secret(s); ${twoFactor.alreadyNew} already used the new key.`);
    console.log('Now set CHORUS_SECRET_KEY (or <data dir>/secret.key) to the new key and restart Chorus.');
  });
}
