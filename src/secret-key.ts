import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensurePrivateDirectory, PRIVATE_FILE_MODE, tighten } from './lib/private-files.js';

/**
 * The key that encrypts secrets at rest (network tokens). Taken from CHORUS_SECRET_KEY, or
 * generated once into <data dir>/secret.key (mode 0600) so a one-command install just works.
 * Losing it makes stored network tokens unreadable: back it up with the data.
 */
export function resolveSecretKey(configured: string, dataDir: string): { key: string; source: 'environment' | 'file' | 'generated' } {
  if (configured) return { key: configured, source: 'environment' };
  const file = path.join(dataDir, 'secret.key');
  ensurePrivateDirectory(dataDir);
  if (fs.existsSync(file)) {
    tighten(file);
    return { key: fs.readFileSync(file, 'utf8').trim(), source: 'file' };
  }
  const key = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, key + '\n', { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return { key, source: 'generated' };
}
