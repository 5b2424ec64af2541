import fs from 'node:fs';
import path from 'node:path';

/** Where the built server and web app under test live; the e2e tests run them, they never build them. */

export const ROOT = path.resolve(import.meta.dirname, '../../..');
// CHORUS_E2E_BUILD: a copy built elsewhere (dist/ and web/dist/ side by side), when others rebuild this checkout's.
const BUILD = process.env.CHORUS_E2E_BUILD ?? ROOT;
// CHORUS_E2E_DIST: only the server's dist/ from elsewhere; it serves the web/dist/ beside it.
const DIST = process.env.CHORUS_E2E_DIST ?? path.join(BUILD, 'dist');

export const CLI = path.join(DIST, 'src/cli/main.js');
const WEB_INDEX = path.join(DIST, '../web/dist/index.html');

export function assertBuilt(): void {
  for (const built of [CLI, WEB_INDEX]) {
    if (!fs.existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` before the e2e test`);
  }
}
