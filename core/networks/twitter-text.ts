import type Twitter from 'twitter-text';

type TwitterText = typeof Twitter;

let loaded: TwitterText | undefined;

/**
 * Hands the length rules their twitter-text. The browser calls this once (the composer imports
 * twitter-text itself, so the bundle has it); the server never needs to: see {@link twitterText}.
 */
export function provideTwitterText(module: TwitterText): void {
  loaded = module;
}

interface NodeProcess {
  getBuiltinModule?: (id: 'node:module') => { createRequire: (url: string) => (id: string) => unknown } | undefined;
}

/**
 * twitter-text (X's weighted length, URL extraction for Mastodon's count), loaded on first use.
 * In Node it is required then, synchronously: it and its core-js polyfills cost ~150 ms, which
 * `chorus serve` would otherwise pay at every start before it answers /healthz.
 */
export function twitterText(): TwitterText {
  if (loaded) return loaded;
  const nodeProcess = (globalThis as { process?: NodeProcess }).process;
  const require = nodeProcess?.getBuiltinModule?.('node:module')?.createRequire(import.meta.url);
  if (!require) throw new Error('twitter-text was not provided: call provideTwitterText() before measuring text in the browser');
  loaded = require('twitter-text') as TwitterText;
  return loaded;
}
