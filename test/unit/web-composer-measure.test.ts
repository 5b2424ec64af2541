import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHORT_CODE_LENGTH, textAsPreviewed, textAsSent } from '../../core/short-link-text.js';
import { measure, shortLinkPrefixOf } from '../../web/src/pages/publishing/composer-rules.js';

const PREFIX = 'https://go.example.com/s/';
const SHORT_LENGTH = PREFIX.length + SHORT_CODE_LENGTH;
const longUrl = `https://shop.example.com/${'spring-sale-'.repeat(10)}landing`;

describe('the composer counter with links shortened at publish', () => {
  it('counts a long link as the short URL on Bluesky, so a post the server accepts shows as fitting', () => {
    const text = `${'a'.repeat(200)} ${longUrl}`;
    const written = measure('bluesky', text, {}, { mediaCount: 0 });
    const shortened = measure('bluesky', text, {}, { mediaCount: 0, shortLinkPrefix: PREFIX });
    expect(written).toMatchObject({ length: 201 + longUrl.length, limit: 300, tooLong: true, fits: false });
    expect(shortened).toMatchObject({ length: 201 + SHORT_LENGTH, tooLong: false, fits: true });
  });

  it('keeps X counting every link as 23, shortened or not', () => {
    const text = `Sale ${longUrl}`;
    expect(measure('x', text, {}, { mediaCount: 0 }).length).toBe(5 + 23);
    expect(measure('x', text, {}, { mediaCount: 0, shortLinkPrefix: PREFIX }).length).toBe(5 + 23);
  });

  it('previews each shortened link as the short base with its code to come, and the rest as written', () => {
    const text = `Sale ${longUrl} (details: ${longUrl}), mail https://user:pw@bank.example/`;
    expect(textAsPreviewed(text, PREFIX)).toBe(`Sale ${PREFIX}… (details: ${PREFIX}…), mail https://user:pw@bank.example/`);
    expect(textAsPreviewed(text, null)).toBe(text);
  });

  it('leaves alone what publishing does not shorten: links already short, and links with a user name', () => {
    const already = `${PREFIX}abcdefghijk`;
    expect(textAsSent(`See ${already} and https://user:pw@bank.example/`, PREFIX)).toBe(`See ${already} and https://user:pw@bank.example/`);
    expect(textAsSent(`A https://a.example/x, again https://a.example/x.`, PREFIX)).toBe(`A ${PREFIX}xxxxxxxxxxx, again ${PREFIX}xxxxxxxxxxx.`);
  });

  it('measures a network’s own version with the same rule', () => {
    const shortened = measure('mastodon', 'shared', { mastodon: `Own ${longUrl}` }, { mediaCount: 0, shortLinkPrefix: PREFIX });
    expect(shortened.length).toBe(4 + 23);
    expect(measure('bluesky', 'shared', { bluesky: `Own ${longUrl}` }, { mediaCount: 0, shortLinkPrefix: PREFIX }).length).toBe(4 + SHORT_LENGTH);
  });

  it('never makes a text longer than shortening off when its links are longer than the short form', () => {
    const path = fc.stringMatching(/^[a-z0-9-]{20,80}$/);
    const words = fc.array(fc.stringMatching(/^[^\s]{0,12}$/u), { maxLength: 6 });
    fc.assert(
      fc.property(
        words,
        fc.array(path, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('bluesky', 'mastodon', 'x', 'threads', 'linkedin') as fc.Arbitrary<'bluesky'>,
        (parts, paths, network) => {
          const urls = paths.map((p) => `https://shop.example.com/${p}`);
          const text = [...parts, ...urls].join(' ');
          const off = measure(network, text, {}, { mediaCount: 0 });
          const on = measure(network, text, {}, { mediaCount: 0, shortLinkPrefix: PREFIX });
          expect(on.length).toBeLessThanOrEqual(off.length);
          if (off.fits) expect(on.fits).toBe(true);
        },
      ),
    );
  });
});

describe('which prefix the counters measure with', () => {
  const shortening = { byDefault: true, prefix: PREFIX };
  it('follows the post’s choice, else the org default, and none without a server prefix', () => {
    expect(shortLinkPrefixOf(null, shortening)).toBe(PREFIX);
    expect(shortLinkPrefixOf(false, shortening)).toBeNull();
    expect(shortLinkPrefixOf(null, { ...shortening, byDefault: false })).toBeNull();
    expect(shortLinkPrefixOf(true, { ...shortening, byDefault: false })).toBe(PREFIX);
    expect(shortLinkPrefixOf(true, { byDefault: true, prefix: null })).toBeNull();
    expect(shortLinkPrefixOf(true, undefined)).toBeNull();
  });
});
