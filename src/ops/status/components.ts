import type { ProbeOutcome } from './probes.js';

export type Probe = () => Promise<ProbeOutcome>;

/** Yields the components whose set changes at run time (one per connected channel account). */
export type ComponentSource = () => Promise<{ name: string; probe: Probe }[]>;

/**
 * What the status page watches. The store registers itself; other modules add theirs
 * (workers as fixed components, channels as a source listing each connected account).
 */
export class StatusComponents {
  private readonly fixed = new Map<string, Probe>();
  private readonly sources: ComponentSource[] = [];

  add(name: string, probe: Probe): this {
    this.fixed.set(name, probe);
    return this;
  }

  addSource(source: ComponentSource): this {
    this.sources.push(source);
    return this;
  }

  async all(): Promise<{ name: string; probe: Probe }[]> {
    const dynamic = (await Promise.all(this.sources.map((s) => s().catch(() => [])))).flat();
    return [...[...this.fixed].map(([name, probe]) => ({ name, probe })), ...dynamic];
  }
}

/** A probe that throws or hangs counts as down, with why. */
export async function runProbe(probe: Probe, timeoutMs: number): Promise<ProbeOutcome> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      probe(),
      new Promise<ProbeOutcome>((resolve) => (timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs))),
    ]);
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
