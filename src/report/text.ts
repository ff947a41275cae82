/**
 * `--format text`: for people. Findings grouped by file (code) or URL (live), then by cookie; each
 * with its severity, rule id, message, what the browser does, redacted evidence, the fix, the code
 * excerpt and related locations; then the errors and a summary line.
 */
import type { Finding, Report, Severity } from '../model/finding.js';
import { SEVERITIES } from '../model/finding.js';
import type { RenderOptions } from './types.js';
import {
  baselinedCount,
  evidenceFor,
  formatLocation,
  groupKeyOf,
  reachesThreshold,
  sortFindings,
} from './types.js';

type Paint = (s: string) => string;
interface Palette {
  bold: Paint;
  dim: Paint;
  severity: Record<Severity, Paint>;
  ok: Paint;
  fail: Paint;
}

function sgr(open: number, close: number): Paint {
  return (s) => `\u001b[${open}m${s}\u001b[${close}m`;
}
const plain: Paint = (s) => s;

function palette(color: boolean): Palette {
  if (!color) {
    return {
      bold: plain,
      dim: plain,
      ok: plain,
      fail: plain,
      severity: { high: plain, medium: plain, low: plain, info: plain },
    };
  }
  const red = sgr(31, 39);
  const yellow = sgr(33, 39);
  const cyan = sgr(36, 39);
  const bold = sgr(1, 22);
  return {
    bold,
    dim: sgr(2, 22),
    ok: sgr(32, 39),
    fail: (s) => bold(red(s)),
    severity: { high: (s) => bold(red(s)), medium: yellow, low: cyan, info: sgr(2, 22) },
  };
}

/** Terminal-unsafe characters (control characters of a hostile Set-Cookie, escape sequences) shown escaped. */
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function escapeControl(s: string): string {
  return s.replace(TERMINAL_UNSAFE, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function indentBlock(text: string, prefix: string): string[] {
  return escapeControl(text)
    .split(/\r?\n/)
    .map((l) => `${prefix}${l}`);
}

function field(
  lines: string[],
  p: Palette,
  indent: string,
  label: string,
  value: string | null | undefined,
): void {
  if (value === null || value === undefined || value === '') return;
  const [first, ...rest] = escapeControl(value).split(/\r?\n/);
  const head = `${indent}${p.dim(`${label}:`.padEnd(10))}`;
  lines.push(`${head}${first}`);
  for (const r of rest) lines.push(`${indent}${' '.repeat(10)}${r}`);
}

function renderFinding(f: Finding, p: Palette, opts: RenderOptions, groupKind: string): string[] {
  const lines: string[] = [];
  const sev = p.severity[f.severity](f.severity.toUpperCase().padEnd(6));
  const where = f.location ? `  ${p.dim(formatLocation(f.location))}` : '';
  lines.push(`    ${sev} ${p.bold(f.rule)}${where}`);
  const ind = '           ';
  for (const l of indentBlock(f.message, ind)) lines.push(l);
  if (f.url && groupKind !== 'url') field(lines, p, ind, 'url', f.url);
  field(lines, p, ind, 'browser', f.browser);
  field(lines, p, ind, 'why', f.classification);
  field(lines, p, ind, 'evidence', evidenceFor(f, opts.showValues));
  field(lines, p, ind, 'fix', f.fix);
  if (f.snippet) {
    lines.push(`${ind}${p.dim('code:')}`);
    for (const l of indentBlock(f.snippet.replace(/\s+$/, ''), `${ind}  ${p.dim('|')} `)) lines.push(l);
  }
  for (const r of f.related ?? []) {
    const at = r.location ? formatLocation(r.location) : (r.url ?? '');
    field(lines, p, ind, 'related', at ? `${at}  ${r.message}` : r.message);
  }
  return lines;
}

export function summaryLine(report: Report, opts: RenderOptions): string {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of report.findings) counts[f.severity]++;
  const n = report.findings.length;
  const parts = [
    `${n} finding${n === 1 ? '' : 's'} (${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(', ')})`,
  ];
  if (opts.suppressed > 0) parts.push(`${opts.suppressed} suppressed by config`);
  const baselined = baselinedCount(opts);
  if (opts.baseline) parts.push(`${baselined} already in the baseline (not shown)`);
  // "No findings" must never read as "safe" when some configurations were not understood.
  const unresolved = report.findings.filter((f) => f.rule === 'cookie-config-unresolved').length;
  if (unresolved > 0)
    parts.push(
      `${unresolved} session configuration${unresolved === 1 ? '' : 's'} could not be resolved (cookie-config-unresolved)`,
    );
  const e = report.errors.length;
  parts.push(`${e} error${e === 1 ? '' : 's'}`);
  return parts.join('; ');
}

export function renderText(report: Report, opts: RenderOptions): string {
  const p = palette(opts.color);
  const out: string[] = [];
  const findings = sortFindings(report.findings);
  let currentGroup: string | null = null;
  let currentCookie: string | null | undefined;
  for (const f of findings) {
    const g = groupKeyOf(f);
    const gid = `${g.kind}\u0000${g.key}`;
    if (gid !== currentGroup) {
      if (currentGroup !== null) out.push('');
      out.push(p.bold(escapeControl(g.key)));
      currentGroup = gid;
      currentCookie = undefined;
    }
    const cookie = f.cookie ?? null;
    if (cookie !== currentCookie) {
      out.push(`  ${cookie === null ? p.dim('(site)') : `cookie ${p.bold(escapeControl(cookie))}`}`);
      currentCookie = cookie;
    }
    out.push(...renderFinding(f, p, opts, g.kind));
  }
  if (findings.length === 0) out.push('No findings.');

  if (report.errors.length > 0) {
    out.push('', p.bold('Errors (not collected):'));
    for (const e of report.errors) {
      const where = e.url ?? e.file;
      const line = where && !e.message.includes(where) ? `${where}: ${e.message}` : e.message;
      out.push(`  ${escapeControl(line)}`);
    }
  }

  out.push('', summaryLine(report, opts));
  if (opts.executionSuccessful === false) {
    out.push(p.fail('ERROR: the run could not do its job (see the errors above)'));
  } else if (opts.failOn !== 'none') {
    const failing = report.findings.filter((f) => reachesThreshold(f.severity, opts.failOn)).length;
    out.push(
      failing > 0
        ? p.fail(`FAIL: ${failing} finding${failing === 1 ? '' : 's'} at or above --fail-on ${opts.failOn}`)
        : p.ok(`PASS: no finding at or above --fail-on ${opts.failOn}`),
    );
  }
  return `${out.join('\n')}\n`;
}
