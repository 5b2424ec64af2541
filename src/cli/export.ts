import path from 'node:path';
import type { Command } from 'commander';
import { exportOrg } from '../ops/export/export.js';
import { importArchive } from '../ops/export/import.js';
import { terminalProgress } from '../ops/progress.js';
import { withMigratedStore, type StoreFlags } from './context.js';
import { withStoreOptions } from './options.js';

export function registerExportCommands(program: Command): void {
  withStoreOptions(
    program
      .command('export')
      .description('write every row of one organization to a .tar.gz of JSON Lines (docs/export-format.md)')
      .requiredOption('--org <id>', 'organization id (in the web UI address: /orgs/<id>)')
      .option('--out <file>', 'archive to write (default: chorus-export-<org>-<date>.tar.gz)')
      .option('--without-password-hashes', 'leave password hashes out: people set a new password after an import'),
  ).action(async (flags: StoreFlags & { org: string; out?: string; withoutPasswordHashes?: boolean }) => {
    await withMigratedStore(flags, async (store) => {
      const out = path.resolve(flags.out ?? `chorus-export-${flags.org}-${new Date().toISOString().slice(0, 10)}.tar.gz`);
      const manifest = await exportOrg(store, flags.org, out, { clock: () => new Date(), includePasswordHashes: !flags.withoutPasswordHashes, progress: terminalProgress() });
      const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
      console.log(`Exported "${manifest.org.name}": ${manifest.tables.length} tables, ${rows} rows, password hashes ${manifest.passwordHashes}`);
      console.log(`  ${out}`);
    });
  });

  withStoreOptions(
    program
      .command('import')
      .argument('<file>', 'archive written by `chorus export` or the web download')
      .description('load an export archive into an empty instance (SQLite or PostgreSQL), in one transaction'),
  ).action(async (file: string, flags: StoreFlags) => {
    await withMigratedStore(flags, async (store) => {
      const { manifest, rows } = await importArchive(store, path.resolve(file), terminalProgress());
      console.log(`Imported "${manifest.org.name}" (${manifest.org.id}): ${rows} rows into ${store.description}`);
      if (manifest.passwordHashes === 'omitted') console.log('The archive has no password hashes: each person needs a new password before signing in.');
    });
  });
}
