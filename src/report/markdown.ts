/**
 * `--format markdown`: a short report for a CI job summary (GitHub `$GITHUB_STEP_SUMMARY`) or a pull
 * request comment. Counts by severity, a table of the findings (worst first), and the fix of each
 * rule once in a collapsed block. Values are redacted as everywhere; every string from the audited
 * code or site is escaped so that it cannot inject Markdown or HTML.
 */
import type { Report, Severity } from '../model/finding.js';
import { SEVERITIES, severityRank } from '../model/finding.js';
import type { RenderOptions } from './types.js';
import { errorLine, plural, shortWhere, summaryNotes, verdictOf } from './common.js';
import { escapeText } from './escape.js';

/** Rows shown in the table; the rest are counted (a job summary is limited to 1 MiB). */
export const MAX_ROWS = 200;

const ICON: Record<Severity, string> = { high: '🔴', medium: '🟠', low: '🟡', info: '⚪' };

/** Text safe inside a Markdown table cell: no HTML, no pipes, no line breaks, no emphasis or links. */
export function mdEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  const spaced = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return escapeText(spaced)
    .replace(/([\\`*_[\]|#!~])/g, '\\$1')
    .replace(/\s+/g, ' ')
    .trim();
}

export function renderMarkdown(report: Report, opts: RenderOptions): string {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of report.findings) counts[f.severity]++;
  const out: string[] = ['## cookieguard', ''];
  const v = verdictOf(report, opts);
  if (v?.status === 'error') out.push('**ERROR**: the run could not do its job (see the errors below).', '');
  else if (v !== null)
    out.push(
      v.status === 'fail'
        ? `**FAIL**: ${plural(v.failing, 'finding')} at or above \`--fail-on ${opts.failOn}\`.`
        : `**PASS**: no finding at or above \`--fail-on ${opts.failOn}\`.`,
      '',
    );
  out.push(
    `| ${SEVERITIES.map((s) => `${ICON[s]} ${s}`).join(' | ')} |`,
    `|${SEVERITIES.map(() => '---:').join('|')}|`,
  );
  out.push(`| ${SEVERITIES.map((s) => String(counts[s])).join(' | ')} |`, '');
  const notes = summaryNotes(report, opts, false);
  if (notes.length > 0) out.push(`${notes.join('; ')}.`, '');

  if (report.findings.length === 0) out.push('No findings.');
  else {
    const sorted = [...report.findings].sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) ||
        (a.cookie ?? '').localeCompare(b.cookie ?? '') ||
        a.rule.localeCompare(b.rule) ||
        shortWhere(a).localeCompare(shortWhere(b)),
    );
    out.push('| severity | rule | cookie | where | finding |', '|---|---|---|---|---|');
    for (const f of sorted.slice(0, MAX_ROWS)) {
      out.push(
        `| ${ICON[f.severity]} ${f.severity} | \`${mdEscape(f.rule).replace(/\\/g, '')}\` | ${mdEscape(f.cookie ?? '-')} | ${mdEscape(shortWhere(f))} | ${mdEscape(f.message)} |`,
      );
    }
    if (sorted.length > MAX_ROWS)
      out.push('', `…and ${sorted.length - MAX_ROWS} more (see the full report).`);
    // The fix of each rule and cookie once, collapsed.
    const fixes = new Map<string, string>();
    for (const f of sorted) {
      if (!f.fix) continue;
      const k = `${f.rule} · ${f.cookie ?? 'site-wide'}`;
      if (!fixes.has(k)) fixes.set(k, f.fix);
    }
    if (fixes.size > 0) {
      out.push('', '<details><summary>How to fix</summary>', '');
      for (const [k, fix] of [...fixes.entries()].slice(0, MAX_ROWS))
        out.push(`- **${mdEscape(k)}**: ${mdEscape(fix)}`);
      out.push('', '</details>');
    }
  }
  if (report.errors.length > 0) {
    out.push('', '### Errors (not collected)', '');
    for (const e of report.errors.slice(0, MAX_ROWS)) out.push(`- ${mdEscape(errorLine(e))}`);
  }
  return `${out.join('\n')}\n`;
}
