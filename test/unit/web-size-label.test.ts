import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sizeLabel } from '../../web/src/pages/publishing/size-label.js';

describe('image sizes in the composer', () => {
  it('reads a small photo in KB and a limit in MB, never as 0.00 MB', () => {
    expect(sizeLabel(3956)).toBe('4 KB');
    expect(sizeLabel(512)).toBe('512 B');
    expect(sizeLabel(1_000_000)).toBe('1.0 MB');
    expect(sizeLabel(5 * 1024 * 1024)).toBe('5.2 MB');
    expect(sizeLabel(999_999)).toBe('1.0 MB');
  });

  it('always has a number and a unit, and never shows zero for a non-empty file (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50_000_000 }), (bytes) => {
        const label = sizeLabel(bytes);
        expect(label).toMatch(/^\d+(\.\d)? (B|KB|MB)$/);
        expect(parseFloat(label)).toBeGreaterThan(0);
      }),
    );
  });
});
