import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it, vi } from 'vitest';
import { startJobLoop } from '../../src/lib/job-loop.js';

it('keeps going after failing rounds, runs back to back while batches are full, and stops cleanly', async () => {
  const outcomes: (number | Error)[] = [new Error('store unavailable'), 5, 5, 2];
  const seen: string[] = [];
  const warnings: unknown[] = [];
  const loop = startJobLoop({
    name: 'test',
    batchSize: 5,
    pollMs: 10,
    logger: { warn: (detail: unknown) => warnings.push(detail) } as never,
    round: async () => {
      const next = outcomes.shift() ?? 0;
      seen.push(next instanceof Error ? 'failed' : String(next));
      if (next instanceof Error) throw next;
      return next;
    },
  });
  await sleep(200);
  await loop.stop();
  const rounds = seen.length;
  expect(seen.slice(0, 4)).toEqual(['failed', '5', '5', '2']);
  expect(warnings).toHaveLength(1);
  await sleep(50);
  expect(seen.length).toBe(rounds);
});

it('wake() ends the wait between rounds, and a wake during a round is not lost', async () => {
  let rounds = 0;
  let release: (() => void) | null = null;
  const loop = startJobLoop({
    name: 'test',
    batchSize: 5,
    pollMs: 3_600_000,
    round: async () => {
      rounds++;
      if (rounds === 2) await new Promise<void>((resolve) => (release = resolve));
      return 0;
    },
  });
  await vi.waitFor(() => expect(rounds).toBe(1));
  loop.wake();
  await vi.waitFor(() => expect(rounds).toBe(2));
  // Woken while the second round is still running: a third follows without waiting an hour.
  loop.wake();
  release!();
  await vi.waitFor(() => expect(rounds).toBe(3));
  await sleep(50);
  expect(rounds).toBe(3);
  await loop.stop();
});
