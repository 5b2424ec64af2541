import type { ImageType } from './fetch-image.js';

export interface RecentImage {
  contentType: ImageType;
  bytes: Buffer;
  expiresAt: number;
}

/**
 * Images fetched whole in the last minutes, served again without a fetch: the members of an
 * org opening the same board one after another see the same avatars. Bounded by total bytes
 * (least recently used go first) and kept only as long as the image's host allows a shared
 * cache to reuse it, capped by the caller. In memory, per process.
 */
export class RecentImages {
  /** In order of use: the first entry is the least recently used. */
  private readonly images = new Map<string, RecentImage>();
  private bytes = 0;

  constructor(
    private readonly budgetBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): RecentImage | null {
    const image = this.images.get(key);
    if (!image) return null;
    this.images.delete(key);
    if (image.expiresAt <= this.now()) {
      this.bytes -= image.bytes.length;
      return null;
    }
    this.images.set(key, image);
    return image;
  }

  remember(key: string, contentType: ImageType, bytes: Buffer, seconds: number): void {
    if (seconds <= 0 || bytes.length > this.budgetBytes) return;
    this.forget(key);
    for (const [oldest] of this.images) {
      if (this.bytes + bytes.length <= this.budgetBytes) break;
      this.forget(oldest);
    }
    this.images.set(key, { contentType, bytes, expiresAt: this.now() + seconds * 1000 });
    this.bytes += bytes.length;
  }

  /** Bytes held (for tests: never more than the budget). */
  get heldBytes(): number {
    return this.bytes;
  }

  private forget(key: string): void {
    const image = this.images.get(key);
    if (!image) return;
    this.images.delete(key);
    this.bytes -= image.bytes.length;
  }
}
