import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import ja from '../../web/src/i18n/ja.json' with { type: 'json' };

/** Every leaf of a translation file as "a.b.c" → value. */
function leaves(tree: unknown, prefix = ''): Map<string, unknown> {
  const found = new Map<string, unknown>();
  if (tree !== null && typeof tree === 'object') {
    for (const [key, value] of Object.entries(tree)) {
      for (const [path, leaf] of leaves(value, prefix ? `${prefix}.${key}` : key)) found.set(path, leaf);
    }
  } else {
    found.set(prefix, tree);
  }
  return found;
}

describe('web translations', () => {
  const english = leaves(en);
  const japanese = leaves(ja);

  it('English and Japanese have exactly the same keys', () => {
    expect([...japanese.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it.each([
    ['en', english],
    ['ja', japanese],
  ])('%s has no empty or non-string values', (_language, translations) => {
    const bad = [...translations].filter(([, value]) => typeof value !== 'string' || value.trim() === '').map(([key]) => key);
    expect(bad).toEqual([]);
  });

  it('Japanese uses the same {{placeholders}} as English', () => {
    const placeholders = (value: unknown) => [...String(value).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const mismatched = [...english].filter(([key, value]) => placeholders(value).join() !== placeholders(japanese.get(key)).join()).map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it('every literal key the web code asks for exists', () => {
    const webSource = path.resolve(import.meta.dirname, '../../web/src');
    const files = fs.readdirSync(webSource, { recursive: true, encoding: 'utf8' }).filter((file) => /\.tsx?$/.test(file));
    const asked = files.flatMap((file) => [...fs.readFileSync(path.join(webSource, file), 'utf8').matchAll(/\bt\('([\w.]+)'/g)].map((m) => m[1]!));
    expect(asked.length).toBeGreaterThan(50);
    expect([...new Set(asked)].filter((key) => !english.has(key))).toEqual([]);
  });
});
