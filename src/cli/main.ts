#!/usr/bin/env node
import { Command } from 'commander';
import { registerKeyCommands } from './keys.js';
import { ConfigError } from '../config-error.js';
import { registerBackupCommands } from './backup.js';
import { registerDoctorCommand } from './doctor.js';
import { registerExportCommands } from './export.js';
import { registerMigrateCommand } from './migrate.js';
import { registerOrgCommands } from './org.js';
import { registerServeCommand } from './serve.js';
import { registerUserCommands } from './user.js';
import { registerWorkerCommand } from './worker.js';

const program = new Command('chorus')
  .description('Chorus: social media dashboard and social CRM that keeps your data')
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: true });

registerServeCommand(program);
registerMigrateCommand(program);
registerUserCommands(program);
registerOrgCommands(program);
registerDoctorCommand(program);
registerWorkerCommand(program);
registerKeyCommands(program);
registerBackupCommands(program);
registerExportCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
