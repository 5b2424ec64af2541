import { Option, type Command } from 'commander';
import { withMigratedStore, type StoreFlags } from './context.js';
import { withStoreOptions } from './options.js';
import { resealTwoFactorSecrets } from '../accounts/two-factor.js';
import { inTransaction } from '../store/transaction.js';
import { rotateCredentialsKey } from '../channels/key-rotation.js';

/**
 * `chorus keys rotate`: re-encrypt stored channel credentials and authenticator-app secrets
 * (two-factor sign-in) under a new secret key, in one transaction. Keys come
 * from flags or CHORUS_OLD_SECRET_KEY / CHORUS_NEW_SECRET_KEY (environment keeps them out of
 * the shell history). Afterwards, start Chorus with the new key.
 */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('manage the secret key that encrypts channel credentials and two-factor secrets');
  withStoreOptions(
    keys
      .command('rotate')
      .description('re-encrypt every stored channel credential and two-factor secret from the old key to the new key, in one transaction')
      .addOption(new Option('--old-key <key>', 'the key the credentials are encrypted with now').env('CHORUS_OLD_SECRET_KEY'))
      .addOption(new Option('--new-key <key>', 'the key to encrypt them with from now on').env('CHORUS_NEW_SECRET_KEY')),
  ).action(async (flags: StoreFlags & { oldKey?: string; newKey?: string }) => {
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
  });
}
