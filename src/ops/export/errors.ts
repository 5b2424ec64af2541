import { DomainError } from '../../lib/domain-error.js';

type ExportRule =
  | 'org_not_found'
  | 'archive_corrupt'
  | 'archive_checksum_mismatch'
  | 'archive_from_newer_chorus'
  | 'archive_unknown_table'
  | 'archive_unknown_column'
  | 'instance_not_empty';

const STATUS: Record<ExportRule, 404 | 409 | 422> = {
  org_not_found: 404,
  archive_corrupt: 422,
  archive_checksum_mismatch: 422,
  archive_from_newer_chorus: 422,
  archive_unknown_table: 422,
  archive_unknown_column: 422,
  instance_not_empty: 409,
};

export class ExportError extends DomainError {
  constructor(code: ExportRule, message: string) {
    super(code, message, STATUS[code]);
  }
}
