/**
 * A single updating progress line on stderr ("\r" + clear line), only when stderr is a terminal: CI
 * logs and redirected stderr get nothing. Never written to stdout (which may carry a JSON report).
 */

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
}

export interface Progress {
  update(done: number, total: number, label?: string): void;
  /** Clears the line (if anything was drawn). */
  finish(): void;
}

export interface ProgressOptions {
  /** False with --quiet. */
  enabled: boolean;
  /** "URLs", "files". */
  noun: string;
  /** Below this many items the run is short: no progress line. */
  minTotal: number;
  /** Minimum milliseconds between redraws (0 in tests). */
  intervalMs?: number;
}

const CLEAR = '\r\u001b[2K';

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f]/g;

export function createProgress(stream: ProgressStream, opts: ProgressOptions): Progress {
  const active = opts.enabled && stream.isTTY === true;
  const interval = opts.intervalMs ?? 80;
  let drawn = false;
  let last = 0;
  return {
    update(done, total, label) {
      if (!active || total < opts.minTotal) return;
      const now = Date.now();
      if (done < total && drawn && now - last < interval) return;
      last = now;
      // A pseudo-terminal without a size reports 0 columns: treat it as unknown.
      const width = Math.max(20, (stream.columns || 80) - 1);
      let line = `[${done}/${total}] ${opts.noun}${label ? ` ${label.replace(UNPRINTABLE, '?')}` : ''}`;
      if (line.length > width) line = `${line.slice(0, width - 1)}…`;
      stream.write(`${CLEAR}${line}`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write(CLEAR);
      drawn = false;
    },
  };
}
