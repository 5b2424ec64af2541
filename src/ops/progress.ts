/** Reports how far a long operation is, as a fraction 0..1 of the named phase. */
export type Progress = (phase: string, fraction: number) => void;

export const noProgress: Progress = () => {};

/** A one-line progress bar on stderr, drawn only for a person at a terminal (never into logs or pipes). */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return noProgress;
  let last = '';
  return (phase, fraction) => {
    const clamped = Math.max(0, Math.min(1, fraction));
    const width = 30;
    const filled = Math.round(clamped * width);
    const line = `${phase.padEnd(12)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(clamped * 100)).padStart(3)}%`;
    if (line === last) return;
    last = line;
    stream.write(`\r${line}${clamped >= 1 ? '\n' : ''}`);
  };
}
