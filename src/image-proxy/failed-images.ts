import type { FetchedImage } from './fetch-image.js';

export type ImageFailure = Extract<FetchedImage, { ok: false }>;

/** Enough for every image of many boards; the oldest failure goes first. */
const MAX_REMEMBERED = 10_000;

/**
 * Images whose last fetch failed (gone, not an image, too large, silent host), answered with
 * the same failure for a while without asking the host again: a board reloaded, or opened by a
 * colleague, does not wait seconds per broken avatar, nor hold the browser's connections while
 * it waits. Per process, keyed like the shared fetches (org and URL).
 */
export class FailedImages {
  private readonly failures = new Map<string, { failure: ImageFailure; until: number }>();

  constructor(
    private readonly seconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): ImageFailure | null {
    const remembered = this.failures.get(key);
    if (!remembered) return null;
    if (remembered.until > this.now()) return remembered.failure;
    this.failures.delete(key);
    return null;
  }

  remember(key: string, failure: ImageFailure): void {
    if (this.seconds <= 0) return;
    this.failures.delete(key);
    if (this.failures.size >= MAX_REMEMBERED) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(key, { failure, until: this.now() + this.seconds * 1000 });
  }
}
