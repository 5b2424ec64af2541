import { Option, type Command } from 'commander';

/**
 * Options every command shares; each overrides an environment variable (README, "Configuration"),
 * which src/config.ts reads, so the variables are not bound here.
 */
export function withStoreOptions(command: Command): Command {
  return command
    .addOption(new Option('--data-dir <dir>', 'where the embedded database, backups and secret key live (env: CHORUS_DATA_DIR)'))
    .addOption(new Option('--database-url <url>', 'sqlite:<file> or postgres://... (default: embedded SQLite in the data dir) (env: DATABASE_URL)'))
    .addOption(new Option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (env: LOG_LEVEL)'));
}
