import type { Command } from 'commander';
import { Option } from 'commander';
import { lazyAction } from './lazy-action.js';
import { withStoreOptions } from './options.js';

export function registerServeCommand(program: Command): void {
  withStoreOptions(
    program
      .command('serve')
      .description('run the web UI and API (migrates the store first)')
      .addOption(new Option('-p, --port <port>', 'HTTP port (env: PORT)'))
      .addOption(new Option('--host <host>', 'address to listen on (0.0.0.0 for all interfaces) (env: HOST)'))
      .addOption(new Option('--no-worker', 'do not run background jobs in this process (run `chorus worker` instead) (env: CHORUS_NO_WORKER=true)')),
  ).action(lazyAction(async () => (await import('./serve-run.js')).runServe));
}
