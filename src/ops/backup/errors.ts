import { DomainError } from '../../lib/domain-error.js';

type BackupRule =
  | 'backup_not_found'
  | 'backup_corrupt'
  | 'backup_checksum_mismatch'
  | 'backup_from_newer_chorus'
  | 'store_in_use'
  | 'backups_need_embedded_store'
  | 'backup_in_progress';

const STATUS: Record<BackupRule, 404 | 409 | 422> = {
  backup_not_found: 404,
  backup_corrupt: 422,
  backup_checksum_mismatch: 422,
  backup_from_newer_chorus: 422,
  store_in_use: 409,
  backups_need_embedded_store: 409,
  backup_in_progress: 409,
};

export class BackupError extends DomainError {
  constructor(code: BackupRule, message: string) {
    super(code, message, STATUS[code]);
  }
}

export const postgresBackupsRefused = (): BackupError =>
  new BackupError(
    'backups_need_embedded_store',
    'Chorus backs up its embedded SQLite store only. On PostgreSQL use pgBackRest (continuous WAL archiving, point-in-time restore) or pg_dump: see docs/operations.md and docs/durability.md.',
  );
