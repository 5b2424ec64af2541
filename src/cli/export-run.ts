import path from 'node:path';
import { exportOrg } from '../ops/export/export.js';
import { importArchive } from '../ops/export/import.js';
import { terminalProgress } from '../ops/progress.js';
import { withMigratedStore, type StoreFlags } from './context.js';

/** `chorus export`. */
export async function exportCommand(flags: StoreFlags & { org: string; out?: string; withoutPasswordHashes?: boolean }): Promise<void> {
  await withMigratedStore(flags, async (store) => {
    const out = path.resolve(flags.out ?? `chorus-export-${flags.org}-${new Date().toISOString().slice(0, 10)}.tar.gz`);
    const manifest = await exportOrg(store, flags.org, out, {
      clock: () => new Date(),
      includePasswordHashes: !flags.withoutPasswordHashes,
      progress: terminalProgress(),
    });
    const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
    console.log(`Exported "${manifest.org.name}": ${manifest.tables.length} tables, ${rows} rows, password hashes ${manifest.passwordHashes}`);
    console.log(`  ${out}`);
  });
}

/** `chorus import`. */
export async function importCommand(file: string, flags: StoreFlags): Promise<void> {
  await withMigratedStore(flags, async (store) => {
    const { manifest, rows } = await importArchive(store, path.resolve(file), terminalProgress());
    console.log(`Imported "${manifest.org.name}" (${manifest.org.id}): ${rows} rows into ${store.description}`);
    if (manifest.passwordHashes === 'omitted') console.log('The archive has no password hashes: each person needs a new password before signing in.');
  });
}
