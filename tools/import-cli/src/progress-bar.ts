import type { ImportStatus } from './import-client';

const WIDTH = 30;

/** One line of progress: a bar, the percentage and the counts, e.g. `[#######-------]  48% 12,000 rows ...`. */
export function progressLine(status: ImportStatus, elapsedSeconds: number): string {
  const share = Math.max(0, Math.min(1, status.progress));
  const filled = Math.round(share * WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}]`;
  const percent = `${Math.floor(share * 100)}%`.padStart(4);
  const rate = elapsedSeconds > 0 ? `, ${Math.round(status.rowsRead / elapsedSeconds).toLocaleString('en-US')} rows/s` : '';
  return `${bar} ${percent} ${status.rowsRead.toLocaleString('en-US')} rows (${status.accepted.toLocaleString('en-US')} accepted, ${status.rejected.toLocaleString('en-US')} rejected${rate})`;
}

/**
 * Draws progress on a stream: on a terminal one line redrawn in place; otherwise (a log, CI) a line
 * every `everyMs` so the output stays readable.
 */
export class ProgressReporter {
  private lastPrinted = 0;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly everyMs = 3_000,
  ) {}

  update(status: ImportStatus, elapsedSeconds: number, force = false): void {
    const line = progressLine(status, elapsedSeconds);
    if (this.out.isTTY) {
      this.out.write(`\r${line}\x1b[K`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (force || now - this.lastPrinted >= this.everyMs) {
      this.out.write(`${line}\n`);
      this.lastPrinted = now;
    }
  }

  /** Ends the in-place line so what follows starts on a fresh one. */
  done(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
