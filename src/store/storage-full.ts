/**
 * A full disk is an operator's problem, not a bug: a write that fails for lack of space answers
 * 507 storage_full (never a bare 500), the log names the real error, and /readyz reports the
 * store not ready until it can write again.
 */

/** SQLITE_FULL (the disk, or SQLite's max_page_count); PostgreSQL 53100 disk_full; ENOSPC and EDQUOT from the OS. */
const STORAGE_FULL_CODES = new Set(['SQLITE_FULL', '53100', 'ENOSPC', 'EDQUOT']);

export const STORAGE_FULL_MESSAGE = 'The server has run out of storage space, so this change was not saved. Try again once an operator has freed disk space.';

/** True when `error` (or anything in its cause chain) is the store refusing a write for lack of space. */
export function isStorageFull(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && STORAGE_FULL_CODES.has(code)) return true;
  }
  return false;
}

/** How readiness learns that the store cannot write, and that it can again. */
export interface StorageWatch {
  /** Remembers a write refused for lack of space; any other error is ignored. */
  noteFailure(error: unknown): void;
  /** Null while writes can go through; else why not. Checks again after a failure, so it recovers by itself. */
  problem(): Promise<string | null>;
}

const describe = (error: unknown): string => {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  return typeof code === 'string' && !text.startsWith(code) ? `${code}: ${text}` : text;
};

/**
 * After a failure, the store is not ready until `probe` (a small real write of the store's kind)
 * succeeds. Without a probe (PostgreSQL: no write short of a table of our own reaches its data
 * disk), it is not ready for `quietMs` after the last failure, then ready until the next one.
 */
export class RecentStorageFailures implements StorageWatch {
  #failure: { at: number; description: string } | null = null;

  constructor(private readonly options: { probe?: () => Promise<void>; quietMs?: number; now?: () => number } = {}) {}

  noteFailure(error: unknown): void {
    if (isStorageFull(error)) this.#failure = { at: this.now(), description: describe(error) };
  }

  async problem(): Promise<string | null> {
    const failure = this.#failure;
    if (!failure) return null;
    const { probe, quietMs = 30_000 } = this.options;
    if (probe) {
      try {
        await probe();
      } catch (error) {
        return `cannot write: ${describe(error)}`;
      }
    } else if (this.now() - failure.at < quietMs) {
      return `a write failed for lack of space ${Math.round((this.now() - failure.at) / 1000)} s ago: ${failure.description}`;
    }
    this.#failure = null;
    return null;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
