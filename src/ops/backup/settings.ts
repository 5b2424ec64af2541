import type { RetentionPolicy } from './retention.js';

/** Backup settings (src/config.ts reads them); every one has a default that needs no configuration. */
export interface BackupSettings {
  directory: string;
  /** 0 disables the schedule in `chorus serve`. */
  intervalMinutes: number;
  retention: RetentionPolicy;
}
