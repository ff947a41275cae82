/**
 * `--format junit`: JUnit XML as read by CI systems (GitLab, Jenkins, GitHub test reporters, Azure).
 * One <testsuite> per file (code) or URL (live); one <testcase> per (rule, cookie, location). A
 * finding at or above --fail-on is a <failure>, so CI shows it as a failed test; findings below the
 * threshold are passing test cases whose <system-out> holds the details; what could not be
 * collected is an <error>.
 */
import type { Finding, Report } from '../model/finding.js';
import type { RenderOptions } from './types.js';
import { evidenceFor, formatLocation, groupKeyOf, reachesThreshold, sortFindings } from './types.js';
import { escapeAttr, escapeText } from './escape.js';

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join('');
}

function details(f: Finding, opts: RenderOptions): string {
  const lines = [`[${f.severity}] ${f.rule}: ${f.message}`];
  if (f.cookie) lines.push(`cookie: ${f.cookie}`);
  if (f.location) lines.push(`location: ${formatLocation(f.location)}`);
  if (f.url) lines.push(`url: ${f.url}`);
  if (f.browser) lines.push(`browser: ${f.browser}`);
  if (f.classification) lines.push(`why: ${f.classification}`);
  const ev = evidenceFor(f, opts.showValues);
  if (ev) lines.push(`evidence: ${ev}`);
  if (f.fix) lines.push(`fix: ${f.fix}`);
  for (const r of f.related ?? []) {
    const at = r.location ? formatLocation(r.location) : (r.url ?? '');
    lines.push(`related: ${at ? `${at} ` : ''}${r.message}`);
  }
  return lines.join('\n');
}

interface Case {
  name: string;
  file?: string;
  line?: number;
  findings: Finding[];
  errors: string[];
}
interface Suite {
  name: string;
  cases: Map<string, Case>;
}

function caseKey(f: Finding): string {
  const loc = f.location ? formatLocation(f.location) : '';
  return `${f.rule}\u0000${f.cookie ?? ''}\u0000${loc}\u0000${f.url ?? ''}`;
}

function caseName(f: Finding, suiteKind: string): string {
  let name = f.rule;
  if (f.cookie) name += ` ${f.cookie}`;
  if (f.location && suiteKind === 'file') name += ` (line ${f.location.line})`;
  else if (f.location) name += ` (${formatLocation(f.location)})`;
  return name;
}

export function renderJunit(report: Report, opts: RenderOptions): string {
  const suites = new Map<string, Suite>();
  const suite = (name: string): Suite => {
    let s = suites.get(name);
    if (!s) {
      s = { name, cases: new Map() };
      suites.set(name, s);
    }
    return s;
  };

  for (const f of sortFindings(report.findings)) {
    const g = groupKeyOf(f);
    const s = suite(g.key);
    const key = caseKey(f);
    let c = s.cases.get(key);
    if (!c) {
      c = { name: caseName(f, g.kind), findings: [], errors: [] };
      if (f.location) {
        c.file = f.location.file;
        c.line = f.location.line;
      }
      s.cases.set(key, c);
    }
    c.findings.push(f);
  }
  report.errors.forEach((e, i) => {
    const s = suite(e.url ?? e.file ?? 'cookieguard');
    s.cases.set(`error\u0000${i}`, { name: 'collect', file: e.file, findings: [], errors: [e.message] });
  });
  // Findings a --baseline left out: skipped test cases, so CI shows them as known and not failing.
  const baselined = sortFindings(opts.baseline?.unchanged ?? []);
  if (suites.size === 0 && baselined.length === 0) {
    suite('cookieguard').cases.set('clean', { name: 'no findings', findings: [], errors: [] });
  }

  let total = 0;
  let failures = 0;
  let errors = 0;
  const body: string[] = [];
  for (const s of suites.values()) {
    let sFail = 0;
    let sErr = 0;
    const cases: string[] = [];
    for (const c of s.cases.values()) {
      const failing = c.findings.filter((f) => reachesThreshold(f.severity, opts.failOn));
      const passing = c.findings.filter((f) => !reachesThreshold(f.severity, opts.failOn));
      const inner: string[] = [];
      if (failing.length > 0) {
        sFail++;
        const worst = failing[0]!;
        inner.push(
          `      <failure${attrs({ message: `[${worst.severity}] ${worst.message}`, type: worst.rule })}>${escapeText(
            failing.map((f) => details(f, opts)).join('\n\n'),
          )}</failure>`,
        );
      }
      if (c.errors.length > 0) {
        sErr++;
        inner.push(
          `      <error${attrs({ message: c.errors[0], type: 'collect' })}>${escapeText(c.errors.join('\n'))}</error>`,
        );
      }
      if (passing.length > 0) {
        const note = opts.failOn === 'none' ? '(--fail-on none)' : `(below --fail-on ${opts.failOn})`;
        inner.push(
          `      <system-out>${escapeText(passing.map((f) => `${details(f, opts)}\n${note}`).join('\n\n'))}</system-out>`,
        );
      }
      const open = `    <testcase${attrs({ name: c.name, classname: s.name, file: c.file, line: c.line })}`;
      cases.push(inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join('\n')}\n    </testcase>`);
    }
    total += s.cases.size;
    failures += sFail;
    errors += sErr;
    body.push(
      `  <testsuite${attrs({ name: s.name, tests: s.cases.size, failures: sFail, errors: sErr, skipped: 0 })}>`,
      ...cases,
      '  </testsuite>',
    );
  }
  if (baselined.length > 0) {
    body.push(
      `  <testsuite${attrs({ name: 'baseline', tests: baselined.length, failures: 0, errors: 0, skipped: baselined.length })}>`,
      ...baselined.map((f) => {
        const g = groupKeyOf(f);
        const open = `    <testcase${attrs({ name: caseName(f, g.kind), classname: `baseline ${g.key}`, file: f.location?.file, line: f.location?.line })}`;
        return `${open}>\n      <skipped${attrs({ message: `already in the baseline: [${f.severity}] ${f.message}` })}/>\n    </testcase>`;
      }),
      '  </testsuite>',
    );
    total += baselined.length;
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: report.tool.name, tests: total, failures, errors, skipped: baselined.length || undefined })}>`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}
