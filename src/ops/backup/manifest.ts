import { z } from 'zod';

/** Ids sort by time and are safe as file names: `20261127T233301Z-1a2b3c`. */
export const BackupId = z.string().regex(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/, 'not a backup id');

/** Written last, beside the compressed copy: a backup without a manifest is unfinished and ignored. */
export const BackupManifest = z.strictObject({
  format: z.literal('chorus-backup'),
  formatVersion: z.literal(1),
  id: BackupId,
  createdAt: z.iso.datetime(),
  /** Latest applied migration of the copied store, and all of them (a restore refuses names it does not know). */
  schemaVersion: z.string(),
  migrations: z.array(z.string()),
  databaseBytes: z.number().int().nonnegative(),
  file: z.string().regex(/^[0-9A-Za-z-]+\.sqlite\.gz$/),
  compressedBytes: z.number().int().nonnegative(),
  /** sha256 of the compressed file, hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rowCounts: z.record(z.string(), z.number().int().nonnegative()),
  verifiedAt: z.iso.datetime(),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

export const manifestFileName = (id: string): string => `${id}.manifest.json`;
export const dataFileName = (id: string): string => `${id}.sqlite.gz`;
