import { describe, expect, it } from 'vitest';
import { reusableSeconds } from '../../src/image-proxy/fetch-image.js';
import { RecentImages } from '../../src/image-proxy/recent-images.js';

const bytes = (n: number) => Buffer.alloc(n, 1);

describe('image proxy: recent images', () => {
  it('keeps an image until it expires', () => {
    const clock = { now: 0 };
    const recent = new RecentImages(1000, () => clock.now);
    recent.remember('a', 'image/png', bytes(10), 60);
    expect(recent.get('a')?.bytes.length).toBe(10);
    clock.now += 59_999;
    expect(recent.get('a')).not.toBeNull();
    clock.now += 1;
    expect(recent.get('a')).toBeNull();
    expect(recent.heldBytes).toBe(0);
  });

  it('stays within its byte budget, letting the least recently used go first', () => {
    const recent = new RecentImages(100);
    recent.remember('a', 'image/png', bytes(40), 60);
    recent.remember('b', 'image/png', bytes(40), 60);
    expect(recent.get('a')).not.toBeNull(); // b is now the least recently used
    recent.remember('c', 'image/png', bytes(40), 60);
    expect(recent.get('b')).toBeNull();
    expect(recent.get('a')).not.toBeNull();
    expect(recent.get('c')).not.toBeNull();
    expect(recent.heldBytes).toBe(80);
    // Larger than the whole budget, or not reusable: not kept, nothing evicted for it.
    recent.remember('huge', 'image/png', bytes(101), 60);
    recent.remember('fleeting', 'image/png', bytes(10), 0);
    expect([recent.get('huge'), recent.get('fleeting')]).toEqual([null, null]);
    expect(recent.heldBytes).toBe(80);
    // Remembering a key again replaces it rather than counting it twice.
    recent.remember('a', 'image/png', bytes(50), 60);
    expect(recent.heldBytes).toBe(90);
  });

  it('reuses only what the host lets a shared cache reuse', () => {
    expect(reusableSeconds('public, max-age=600')).toBe(600);
    expect(reusableSeconds('max-age=600, s-maxage=30')).toBe(30);
    expect(reusableSeconds('max-age="120"')).toBe(120);
    for (const header of [
      null,
      '',
      'public',
      'max-age=0',
      'max-age=-5',
      'max-age=abc',
      'private, max-age=600',
      'no-store, max-age=600',
      'no-cache, max-age=600',
    ]) {
      expect(reusableSeconds(header), String(header)).toBe(0);
    }
  });
});
