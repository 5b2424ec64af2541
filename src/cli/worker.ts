import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';
import { withStoreOptions } from './options.js';

export function registerWorkerCommand(program: Command): void {
  withStoreOptions(
    program.command('worker').description('run background jobs (publishing) without the web server; run as many as you like against one store'),
  ).action(lazyAction(async () => (await import('./worker-run.js')).runWorker));
}
