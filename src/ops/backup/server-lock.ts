import fs from 'node:fs';

/**
 * `chorus serve` writes its pid beside the SQLite file it uses (`chorus.db.pid`), so a restore in
 * another process can tell that the store is in use. A pid file left by a killed server names a
 * process that no longer exists and is ignored.
 */
export const pidFileOf = (databaseFile: string): string => `${databaseFile}.pid`;

export function claimStore(databaseFile: string): () => void {
  const file = pidFileOf(databaseFile);
  fs.writeFileSync(file, `${process.pid}\n`);
  return () => {
    if (runningServerPid(databaseFile) === process.pid) fs.rmSync(file, { force: true });
  };
}

export function runningServerPid(databaseFile: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(pidFileOf(databaseFile), 'utf8'), 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: the process exists but belongs to another user; it still holds the store.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
