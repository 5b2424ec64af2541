import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';
import { withStoreOptions } from './options.js';

export function registerDoctorCommand(program: Command): void {
  withStoreOptions(program.command('doctor').description('check configuration, store, migrations and disk space')).action(
    lazyAction(async () => (await import('./doctor-run.js')).runDoctor),
  );
}
