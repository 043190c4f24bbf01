/**
 * A progress line for the CLI: redrawn in place on a terminal, a periodic line otherwise (logs, CI). The
 * projections only report numbers (`RebuildProgress`); drawing them is the terminal's business.
 */
import type { RebuildProgress } from '@hru/projections';

export function formatProgress(p: RebuildProgress, width = 30, unit = 'events'): string {
  const filled = Math.round(p.fraction * width);
  const eta = p.etaSeconds === undefined ? '?' : `${Math.ceil(p.etaSeconds)}s`;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(p.fraction * 100).toFixed(1)}% ${p.eventsRead} ${unit} ${Math.round(p.eventsPerSecond)}/s ETA ${eta}`;
}

export function progressPrinter(
  stream: NodeJS.WriteStream = process.stderr,
  options: { intervalMs?: number; unit?: string } = {},
): (p: RebuildProgress) => void {
  const tty = stream.isTTY === true;
  const intervalMs = options.intervalMs ?? (tty ? 100 : 5_000);
  let last = -Infinity;
  return (p) => {
    const now = performance.now();
    if (!p.done && now - last < intervalMs) return;
    last = now;
    const line = formatProgress(p, 30, options.unit);
    if (tty) stream.write(`\r${line}${p.done ? '\n' : ''}`);
    else stream.write(`${line}\n`);
  };
}
