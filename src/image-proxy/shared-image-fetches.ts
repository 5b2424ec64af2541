import { Readable } from 'node:stream';
import type { FetchedImage, ImageType } from './fetch-image.js';

type Start = (cancel: AbortSignal) => Promise<FetchedImage>;

/** An image that arrived whole, for a cache of recent images (see recent-images.ts). */
export interface WholeImage {
  contentType: ImageType;
  bytes: Buffer;
  reusableSeconds: number;
}

/**
 * Single-flight for image fetches: while one upstream fetch of a key (org and URL) is in
 * progress, further requests for it join that fetch instead of starting their own, so a board
 * opened in ten browsers at once costs the image host, and the org's fetch allowance, one fetch.
 * Only fetches in progress are shared; once the upstream answer has ended, the next request
 * fetches again. Each joiner gets the bytes from the first one, so a late joiner still receives
 * the whole picture; those bytes are bounded by the proxy's size cap.
 */
export class SharedImageFetches {
  private readonly flights = new Map<string, Flight>();

  /** `whole` hears of every image its host lets a shared cache reuse, once it has arrived whole. */
  constructor(private readonly whole: (key: string, image: WholeImage) => void = () => {}) {}

  /** Joins the fetch of `key` in progress; null when there is none. */
  join(key: string): Promise<FetchedImage> | null {
    return this.flights.get(key)?.follow() ?? null;
  }

  /** Starts the fetch of `key` for others to join; `done` runs once when it ends, however it ends. */
  start(key: string, start: Start, done: () => void): Promise<FetchedImage> {
    const flight = new Flight(
      start,
      () => {
        if (this.flights.get(key) === flight) this.flights.delete(key);
        done();
      },
      (image) => this.whole(key, image),
    );
    this.flights.set(key, flight);
    return flight.follow();
  }

  /** Fetches in progress (for tests: finished ones must not linger). */
  get inProgress(): number {
    return this.flights.size;
  }
}

/** One upstream fetch and everyone reading it. */
class Flight {
  private readonly cancel = new AbortController();
  private readonly head: Promise<FetchedImage>;
  private readonly chunks: Buffer[] = [];
  private state: 'streaming' | 'ended' | 'failed' = 'streaming';
  private failure: Error | null = null;
  private readers = 0;
  private finished = false;
  /** Readers that have sent every chunk so far and wait for the next one. */
  private readonly waiting = new Set<() => void>();

  constructor(
    start: Start,
    private readonly onFinish: () => void,
    private readonly onWhole: (image: WholeImage) => void,
  ) {
    this.head = start(this.cancel.signal).then(
      (image) => {
        if (image.ok) void this.pump(image);
        else this.finish();
        return image;
      },
      (error: unknown) => {
        this.finish();
        throw error;
      },
    );
  }

  /** The fetch's outcome for one more reader: a failure as is, an image with a body of its own. */
  async follow(): Promise<FetchedImage> {
    const image = await this.head;
    if (!image.ok) return image;
    this.readers += 1;
    const body = this.reader();
    body.once('close', () => this.leave());
    return { ok: true, contentType: image.contentType, body, reusableSeconds: image.reusableSeconds };
  }

  /**
   * The chunks from the first, then each as it arrives. A plain Readable rather than an async
   * generator: destroying a generator waits for its pending await, so a browser that left while
   * the host was silent would only be noticed at the deadline.
   */
  private reader(): Readable {
    let at = 0;
    const body: Readable = new Readable({
      read: () => send(),
      destroy: (error, callback) => {
        this.waiting.delete(send);
        callback(error);
      },
    });
    const send = (): void => {
      while (at < this.chunks.length) if (!body.push(this.chunks[at++])) return;
      if (this.state === 'ended') body.push(null);
      // The reader's connection breaks, as it would without sharing: never a picture cut short that looks whole.
      else if (this.state === 'failed') body.destroy(this.failure ?? new Error('image fetch failed'));
      else this.waiting.add(send);
    };
    return body;
  }

  /** Reads the upstream body to its end (or its cap, or deadline), keeping every chunk for late joiners. */
  private async pump(image: Extract<FetchedImage, { ok: true }>): Promise<void> {
    try {
      for await (const chunk of image.body) {
        this.chunks.push(chunk as Buffer);
        this.signal();
      }
      this.state = 'ended';
      if (image.reusableSeconds > 0)
        this.onWhole({ contentType: image.contentType, bytes: Buffer.concat(this.chunks), reusableSeconds: image.reusableSeconds });
    } catch (error) {
      this.state = 'failed';
      this.failure = error as Error;
    }
    this.signal();
    this.finish();
  }

  /** A reader went away (done or its browser left); when the last one leaves early, stop fetching. */
  private leave(): void {
    this.readers -= 1;
    if (this.readers === 0 && this.state === 'streaming') {
      this.finish();
      this.cancel.abort();
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.onFinish();
  }

  private signal(): void {
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const send of waiting) send();
  }
}
