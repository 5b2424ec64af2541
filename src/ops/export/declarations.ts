import { ExportError } from './errors.js';
import type { ExportManifest } from './format.js';
import type { LineShape } from './json-lines.js';
import { exportableTableNames } from './org-tables.js';
import type { TableShape } from '../../store/schema-discovery.js';

/**
 * Holds the manifest to its word against this Chorus's schema, before any row is read: every
 * table and column it lists must exist here, binary columns must come with their encoding, and
 * what it says was left out (password hashes) may not appear. Returns what each table's lines
 * may hold, which the import then checks line by line.
 */
export function lineShapesFor(manifest: ExportManifest, shapes: Map<string, TableShape>): Map<string, LineShape> {
  const allowed = exportableTableNames(shapes);
  const unknown = manifest.tables.filter((t) => !allowed.has(t.name));
  if (unknown.length) throw new ExportError('archive_unknown_table', `This Chorus has no org table named ${unknown.map((t) => t.name).join(', ')}`);
  const result = new Map<string, LineShape>();
  for (const entry of manifest.tables) {
    const shape = shapes.get(entry.name)!;
    const declared = entry.columns;
    if (!declared && manifest.formatVersion >= 2)
      throw new ExportError('archive_corrupt', `manifest.json lists no columns for table ${entry.name}; format ${manifest.formatVersion} always does`);
    const columns = declared ?? shape.columns;
    const strange = columns.filter((c) => !shape.columns.includes(c));
    if (strange.length) {
      throw new ExportError(
        'archive_unknown_column',
        `This Chorus has no column ${strange.map((c) => `${entry.name}.${c}`).join(', ')}; the archive may come from another version of Chorus`,
      );
    }
    const absent = absentColumns(manifest, entry.name);
    const contradicted = [...absent.keys()].filter((c) => declared?.includes(c));
    if (contradicted.length)
      throw new ExportError('archive_corrupt', `manifest.json lists ${entry.name}.${contradicted[0]}, yet says ${absent.get(contradicted[0]!)}`);
    if (entry.name === 'users' && declared && manifest.passwordHashes === 'included' && !declared.includes('password_hash')) {
      throw new ExportError('archive_corrupt', 'manifest.json says password hashes are included, yet lists no users.password_hash column');
    }
    const base64 = Object.keys(entry.encodings ?? {});
    const notBinary = base64.filter((c) => !shape.binaryColumns.includes(c) || !columns.includes(c));
    if (notBinary.length)
      throw new ExportError(
        'archive_corrupt',
        `manifest.json declares ${notBinary.map((c) => `${entry.name}.${c}`).join(', ')} as base64, which is not a binary column it lists`,
      );
    const unencoded = shape.binaryColumns.filter((c) => declared?.includes(c) && !base64.includes(c));
    if (unencoded.length)
      throw new ExportError(
        'archive_corrupt',
        `${unencoded.map((c) => `${entry.name}.${c}`).join(', ')} holds bytes, but manifest.json declares no encoding for it`,
      );
    result.set(entry.name, { columns: new Set(columns), exact: declared !== undefined, base64: new Set(base64), binary: new Set(shape.binaryColumns), absent });
  }
  return result;
}

/** Columns the manifest says the archive does not carry, each with what the manifest says. */
function absentColumns(manifest: ExportManifest, table: string): Map<string, string> {
  return table === 'users' && manifest.passwordHashes === 'omitted' ? new Map([['password_hash', 'password hashes were omitted']]) : new Map();
}
