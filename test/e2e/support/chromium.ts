import fs from 'node:fs';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const QUIET_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Which Chromium the browser tests drive: CHORUS_CHROMIUM names a binary, or `npm` for the
 * npm-shipped one (@sparticuz/chromium, unpacked into the temp folder on first use); unset,
 * Debian's /usr/bin/chromium when installed, else the npm-shipped one, so a machine with only
 * Node.js runs the browser tests too. The global setup resolves it once, before test files run
 * in parallel, and passes the path on in CHORUS_CHROMIUM.
 */
export async function resolveChromium(): Promise<string> {
  const chosen = process.env.CHORUS_CHROMIUM;
  if (chosen && chosen !== 'npm') {
    if (!fs.existsSync(chosen)) throw new Error(`CHORUS_CHROMIUM=${chosen} does not exist (set a Chromium binary, or npm for the npm-shipped one)`);
    return chosen;
  }
  if (!chosen && fs.existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  return sparticuz.executablePath();
}

/** Headless Chromium with nothing of its own reaching out to the network. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await resolveChromium(), args: QUIET_FLAGS });
}
