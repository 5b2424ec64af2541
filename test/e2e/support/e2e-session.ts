import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { assertBuilt } from './build.js';
import { startChorusServer, type ChorusServer, type ChorusServerOptions } from './chorus-server.js';
import { launchChromium } from './chromium.js';

/** One test file's built server and the Chromium that drives it. */
export interface E2eSession {
  readonly server: ChorusServer;
  readonly baseUrl: string;
  readonly browser: Browser;
  /** Page errors and console errors from every page opened with newPage; each test expects it empty. */
  readonly problems: string[];
  newPage(name: string, options?: NewPageOptions): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export interface E2eSessionOptions extends ChorusServerOptions {
  /** How every new browser profile differs from English, UTC and 1366 × 900. */
  browserProfile?: BrowserContextOptions;
}

export interface NewPageOptions {
  /** Console errors that this page is expected to log, besides failed loads. */
  expectedConsoleError?: (text: string) => boolean;
}

const DEFAULT_PROFILE: BrowserContextOptions = { locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1366, height: 900 } };

export async function startE2eSession({ browserProfile = {}, ...serverOptions }: E2eSessionOptions): Promise<E2eSession> {
  assertBuilt();
  const server = await startChorusServer(serverOptions);
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await server.stop();
    throw error;
  }
  const problems: string[] = [];

  /** A fresh browser profile; page errors and console errors are collected as problems. */
  async function newPage(name: string, { expectedConsoleError = () => false }: NewPageOptions = {}) {
    const context = await browser.newContext({ baseURL: server.baseUrl, ...DEFAULT_PROFILE, ...browserProfile });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`${name}: page error: ${error.message}`));
    page.on('console', (message) => {
      // A 401 from GET /api/session while signed out is expected; Chrome logs every failed load.
      const text = message.text();
      if (message.type() === 'error' && !text.startsWith('Failed to load resource') && !expectedConsoleError(text)) problems.push(`${name}: console: ${text}`);
    });
    return { context, page };
  }

  async function close(): Promise<void> {
    await browser.close();
    await server.stop();
  }

  return { server, baseUrl: server.baseUrl, browser, problems, newPage, close };
}
