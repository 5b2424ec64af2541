import { z } from 'zod';

/** Bumped only when a reader of version N could misread an archive; readers refuse higher versions. */
export const EXPORT_FORMAT_VERSION = 2;

export const TableName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/);
const ColumnName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/);

export const ExportedTable = z.strictObject({
  name: TableName,
  file: z.string().regex(/^tables\/[a-z][a-z0-9_]{0,62}\.jsonl$/),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Since format 2: the columns every line of the file carries, in name order. */
  columns: z.array(ColumnName).optional(),
  /** Since format 2: columns whose values are not stored as is; "base64" holds bytes (blob / bytea). */
  encodings: z.record(ColumnName, z.literal('base64')).optional(),
});

export const ExportManifest = z.strictObject({
  format: z.literal('chorus-export'),
  formatVersion: z.number().int().positive(),
  exportedAt: z.iso.datetime(),
  org: z.strictObject({ id: z.string().min(1).max(100), name: z.string() }),
  schemaVersion: z.string(),
  migrations: z.array(z.string()),
  /** "omitted": users must set a new password after an import (see docs/export-format.md). */
  passwordHashes: z.enum(['included', 'omitted']),
  tables: z.array(ExportedTable),
});
export type ExportManifest = z.infer<typeof ExportManifest>;

/** Stored in place of a password hash that was not exported: matches no password, so the account cannot sign in until a new one is set. */
export const PASSWORD_NOT_EXPORTED = '!password-not-exported';
