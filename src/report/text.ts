/**
 * `--format text`: for people.
 *
 * By default (compact): one block per cookie, one entry per finding (severity, rule, where, the
 * message, the fix, the places it is linked to), wrapped to the terminal's width; then what the
 * browser does, once per rule (not once per finding); then a summary table by cookie and a verdict.
 *
 * With `--explain` (`--verbose`): findings grouped by file (code) or URL (live), then by cookie; each
 * with its severity, rule id, message, what the browser does, redacted evidence, the fix, the code
 * excerpt and related locations; then the errors and a summary line.
 */
import type { Finding, Report, Severity } from '../model/finding.js';
import { SEVERITIES } from '../model/finding.js';
import type { RenderOptions } from './types.js';
import { evidenceFor, formatLocation, groupKeyOf, sortFindings } from './types.js';
import { cookieBlocks, errorLine, plural, shortWhere as whereOf, summaryNotes, verdictOf } from './common.js';

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
  const counted = `${plural(report.findings.length, 'finding')} (${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(', ')})`;
  return [counted, ...summaryNotes(report, opts, true)].join('; ');
}

export function renderText(report: Report, opts: RenderOptions): string {
  return opts.explain ? renderExplained(report, opts) : renderCompact(report, opts);
}

/** Words of `text` wrapped to `width` columns, the first line after `first`, the others after `rest`. */
function wrap(text: string, width: number, first: string, rest: string): string[] {
  const out: string[] = [];
  for (const para of escapeControl(text).split(/\r?\n/)) {
    let line = out.length === 0 ? first : rest;
    let empty = true;
    for (const word of para.split(/\s+/).filter((w) => w !== '')) {
      if (!empty && line.length + 1 + word.length > width) {
        out.push(line);
        line = rest + word;
      } else {
        line += (empty ? '' : ' ') + word;
      }
      empty = false;
    }
    out.push(line);
  }
  return out;
}

const MAX_LINKED = 3;

function renderCompact(report: Report, opts: RenderOptions): string {
  const p = palette(opts.color);
  const width = Math.max(60, opts.width ?? 80);
  const out: string[] = [];
  const findings = sortFindings(report.findings);
  // One block per cookie (site-wide findings last), in the order of their worst finding.
  const blocks = cookieBlocks(findings);
  const ind = '    ';
  for (const [cookie, fs] of blocks) {
    if (out.length > 0) out.push('');
    const n = fs.length;
    const head = cookie === '' ? p.bold('site-wide') : `cookie ${p.bold(escapeControl(cookie))}`;
    out.push(`${head}  ${p.dim(`(${n} finding${n === 1 ? '' : 's'})`)}`);
    // Why it is judged a session cookie: said once per cookie, not inside every message.
    const why = [...new Set(fs.map((f) => f.classification).filter((c): c is string => !!c))];
    for (const w of why) out.push(...wrap(`why: ${w}`, width, '  ', '       ').map(p.dim));
    // One entry per rule and severity: a line per place, the fix once.
    const groups = new Map<string, Finding[]>();
    for (const f of [...fs].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))) {
      const k = `${f.severity}\u0000${f.rule}`;
      const g = groups.get(k);
      if (g) g.push(f);
      else groups.set(k, [f]);
    }
    for (const g of groups.values()) {
      const f0 = g[0]!;
      const sev = p.severity[f0.severity](f0.severity.toUpperCase().padEnd(6));
      out.push(`  ${sev} ${p.bold(f0.rule)}${g.length > 1 ? p.dim(`  (${g.length})`) : ''}`);
      // The first place with its message; the others of the same rule say the same about another place.
      const f = g[0]!;
      const msg = f.classification ? f.message.replace(` (${f.classification})`, '') : f.message;
      out.push(...wrap(`${whereOf(f)}: ${msg}`, width, ind, `${ind}  `));
      if (g.length > 1)
        out.push(...wrap(`also: ${g.slice(1).map(whereOf).join(', ')}`, width, ind, `${ind}      `));
      const links = [
        ...new Set(
          g.flatMap((x) =>
            (x.related ?? []).map((r) => (r.location ? formatLocation(r.location) : (r.url ?? ''))),
          ),
        ),
      ].filter((x) => x !== '' && !g.some((y) => whereOf(y) === x));
      if (links.length > 0) {
        const shown = links.slice(0, MAX_LINKED).join(', ');
        const more = links.length > MAX_LINKED ? ` and ${links.length - MAX_LINKED} more` : '';
        out.push(...wrap(`linked: ${shown}${more}`, width, ind, `${ind}        `).map(p.dim));
      }
      for (const fix of new Set(g.map((f) => f.fix).filter((x): x is string => !!x)))
        out.push(...wrap(fix, width, `${ind}fix: `, `${ind}     `));
    }
  }
  if (findings.length === 0) out.push('No findings.');

  // What the browser does: once per rule (a rule whose findings differ says each distinct thing once).
  const browserByRule = new Map<string, Set<string>>();
  for (const f of findings) {
    if (!f.browser) continue;
    const set = browserByRule.get(f.rule) ?? new Set<string>();
    set.add(f.browser);
    browserByRule.set(f.rule, set);
  }
  if (browserByRule.size > 0) {
    out.push('', p.bold('What browsers do (--explain for more)'));
    for (const [rule, texts] of [...browserByRule.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      // The first sentence of the first text: the rest is in --explain.
      const first = firstSentence([...texts][0]!);
      out.push(...wrap(`${rule}: ${first}`, width, '  ', ind));
    }
  }

  if (report.errors.length > 0) {
    out.push('', p.bold('Errors (not collected):'));
    for (const e of report.errors) out.push(...wrap(errorLine(e), width, '  ', '    '));
  }

  if (findings.length > 0) out.push('', ...summaryTable(blocks, p));
  out.push('', summaryLine(report, opts));
  out.push(...verdict(report, opts, p));
  return `${out.join('\n')}\n`;
}

/** Up to the first '. ' (a sentence end), or all of it. */
function firstSentence(text: string): string {
  const m = /^(.+?[.!?])\s+[A-Z(]/s.exec(text);
  return m ? m[1]! : text;
}

/** Findings per cookie and severity, with totals and the count per source. */
function summaryTable(blocks: [string, Finding[]][], p: Palette): string[] {
  const names = blocks.map(([c]) => (c === '' ? 'site-wide' : escapeControl(c)));
  const w = Math.min(40, Math.max(6, ...names.map((n) => n.length)));
  const fit = (s: string) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const cols = SEVERITIES.map((s) => s.padStart(7)).join('');
  const lines = [p.bold('Summary'), `  ${'cookie'.padEnd(w)}${cols}${'total'.padStart(7)}`];
  const totals: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  const bySource = new Map<string, number>();
  blocks.forEach(([, fs], i) => {
    const c: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
    for (const f of fs) {
      c[f.severity]++;
      totals[f.severity]++;
      bySource.set(f.source, (bySource.get(f.source) ?? 0) + 1);
    }
    lines.push(
      `  ${fit(names[i]!)}${SEVERITIES.map((s) => String(c[s] || '-').padStart(7)).join('')}${String(fs.length).padStart(7)}`,
    );
  });
  const all = blocks.reduce((n, [, fs]) => n + fs.length, 0);
  lines.push(
    `  ${'total'.padEnd(w)}${SEVERITIES.map((s) => String(totals[s]).padStart(7)).join('')}${String(all).padStart(7)}`,
  );
  lines.push(
    `  by source: ${[...bySource.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}`,
  );
  return lines;
}

function verdict(report: Report, opts: RenderOptions, p: Palette): string[] {
  const v = verdictOf(report, opts);
  if (v === null) return [];
  if (v.status === 'error') return [p.fail('ERROR: the run could not do its job (see the errors above)')];
  return [
    v.status === 'fail'
      ? p.fail(`FAIL: ${plural(v.failing, 'finding')} at or above --fail-on ${opts.failOn}`)
      : p.ok(`PASS: no finding at or above --fail-on ${opts.failOn}`),
  ];
}

function renderExplained(report: Report, opts: RenderOptions): string {
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
    for (const e of report.errors) out.push(`  ${escapeControl(errorLine(e))}`);
  }

  out.push('', summaryLine(report, opts));
  out.push(...verdict(report, opts, p));
  return `${out.join('\n')}\n`;
}
