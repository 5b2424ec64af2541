import fc from 'fast-check';
import { isbot } from 'isbot';
import { describe, expect, it } from 'vitest';
import { isCrawler } from '../../src/analytics/click-details.js';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const CRAWLER = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

describe('isCrawler', () => {
  it('answers as isbot does, for an agent seen before and after its verdict was forgotten', () => {
    expect(isCrawler(BROWSER)).toBe(false);
    expect(isCrawler(CRAWLER)).toBe(true);
    // More distinct agents than it remembers, then the first two again.
    for (let i = 0; i < 1_500; i++) isCrawler(`agent-${i}/1.0`);
    expect(isCrawler(BROWSER)).toBe(false);
    expect(isCrawler(CRAWLER)).toBe(true);
    expect(isCrawler(undefined)).toBe(true);
    expect(isCrawler('')).toBe(true);
  });

  it('agrees with isbot on any agent, asked twice', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(BROWSER, CRAWLER, 'curl/8.0', 'facebookexternalhit/1.1')), (agent) => {
        const expected = !agent || isbot(agent);
        expect(isCrawler(agent)).toBe(expected);
        expect(isCrawler(agent)).toBe(expected);
      }),
    );
  });
});
