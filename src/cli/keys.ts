import { Option, type Command } from 'commander';
import { lazyAction } from './lazy-action.js';
import { withStoreOptions } from './options.js';

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
  ).action(lazyAction(async () => (await import('./keys-rotate-run.js')).rotateKeysCommand));
}
