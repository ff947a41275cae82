/**
 * What the text, HTML and Markdown reports say alike, in the same words and order: the verdict, the
 * notes under the counts, an error's line, a finding's short place, and the findings by cookie.
 */
import type { Finding, Report, ReportError } from '../model/finding.js';
import { severityRank } from '../model/finding.js';
import type { RenderOptions } from './types.js';
import { baselinedCount, reachesThreshold } from './types.js';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The run's verdict; null with `--fail-on none` (nothing can fail). */
export type Verdict = { status: 'error' } | { status: 'fail'; failing: number } | { status: 'pass' };

export function verdictOf(report: Report, opts: RenderOptions): Verdict | null {
  if (opts.executionSuccessful === false) return { status: 'error' };
  if (opts.failOn === 'none') return null;
  const failing = report.findings.filter((f) => reachesThreshold(f.severity, opts.failOn)).length;
  return failing > 0 ? { status: 'fail', failing } : { status: 'pass' };
}

/**
 * The notes under the counts: suppressed, baselined, configurations that could not be resolved ("no
 * findings" must never read as "safe" then), and the errors (`zeroErrors`: say "0 errors" too).
 */
export function summaryNotes(report: Report, opts: RenderOptions, zeroErrors: boolean): string[] {
  const notes: string[] = [];
  if (opts.suppressed > 0) notes.push(`${opts.suppressed} suppressed by config`);
  if (opts.baseline) notes.push(`${baselinedCount(opts)} already in the baseline (not shown)`);
  const unresolved = report.findings.filter((f) => f.rule === 'cookie-config-unresolved').length;
  if (unresolved > 0)
    notes.push(
      `${plural(unresolved, 'session configuration')} could not be resolved (cookie-config-unresolved)`,
    );
  if (zeroErrors || report.errors.length > 0) notes.push(plural(report.errors.length, 'error'));
  return notes;
}

/** An error in one line: its URL or file first unless the message already names it. */
export function errorLine(e: ReportError): string {
  const where = e.url ?? e.file;
  return where && !e.message.includes(where) ? `${where}: ${e.message}` : e.message;
}

/** Where a finding is, in one short piece: the code location (file:line), else the URL. */
export function shortWhere(f: Finding): string {
  if (f.location) return `${f.location.file}:${f.location.line}`;
  return f.url ?? '';
}

/**
 * The findings by cookie ('' for site-wide), each list in the order given: blocks with their worst
 * finding first, site-wide last, then by name (code units, not the locale: the same everywhere).
 */
export function cookieBlocks(findings: readonly Finding[]): [string, Finding[]][] {
  const byCookie = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = f.cookie ?? '';
    const list = byCookie.get(k);
    if (list) list.push(f);
    else byCookie.set(k, [f]);
  }
  const worst = (fs: Finding[]) => Math.max(...fs.map((f) => severityRank(f.severity)));
  return [...byCookie.entries()].sort(
    ([a, fa], [b, fb]) =>
      (a === '' ? 1 : 0) - (b === '' ? 1 : 0) || worst(fb) - worst(fa) || (a < b ? -1 : a > b ? 1 : 0),
  );
}
