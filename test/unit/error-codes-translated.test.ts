import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorBody } from '../../src/http/errors.js';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import ja from '../../web/src/i18n/ja.json' with { type: 'json' };

/** Every error code the server source can answer with: DomainError/HttpError codes, feed failure reasons and connector codes. */
function serverErrorCodes(): Set<string> {
  const codes = new Set<string>();
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : []));
  const patterns = [
    /new (?:DomainError|HttpError)\(\s*(?:\d+,\s*)?'([a-z_]+)'/g,
    /(?:badRequest|conflict)\(\s*'([a-z_]+)'/g,
    /reason: '([a-z_]+)', message:/g,
    /kind: 'permanent', code: '([a-z_]+)'/g,
  ];
  for (const file of walk(path.resolve(import.meta.dirname, '../../src'))) {
    const source = fs.readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of source.matchAll(pattern)) codes.add(match[1]!);
  }
  return codes;
}

describe('server error codes', () => {
  it('each has an English and a Japanese sentence, so no server English reaches the Japanese UI', () => {
    const codes = [...serverErrorCodes()].sort();
    expect(codes.length).toBeGreaterThan(50);
    expect(codes.filter((code) => !(code in ja.errors))).toEqual([]);
    expect(codes.filter((code) => !(code in en.errors))).toEqual([]);
  });

  it('carry their values as params for the translation to fill in', () => {
    expect(errorBody('feed_http_error', 'The feed server answered with status 500', { status: 500 })).toEqual({
      error: { code: 'feed_http_error', message: 'The feed server answered with status 500', details: { status: 500 }, params: { status: 500 } },
    });
    // Lists and nested details are not parameters.
    expect(errorBody('text_does_not_fit', 'x', [{ network: 'x' }]).error).not.toHaveProperty('params');
    expect(errorBody('invalid_channel_credentials', 'x', { network: 'x', problems: ['a'] }).error).not.toHaveProperty('params');
    expect(ja.errors.feed_http_error.replace('{{status}}', '500')).toContain('500');
  });
});
