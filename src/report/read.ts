/**
 * Reading a JSON report back (`--baseline FILE`, `cookieguard merge`): the contract of
 * spec/findings.md, checked field by field so that a file that is not a cookieguard report is one
 * clear error, and a report of another tool version still reads (unknown fields are ignored, missing
 * optional ones are absent).
 */
import type { Finding, ReportError, Severity } from '../model/finding.js';
import { SEVERITIES } from '../model/finding.js';
import type { CodeLocation, SourceKind } from '../model/observation.js';

export interface ReadReport {
  toolVersion: string;
  findings: Finding[];
  errors: ReportError[];
  suppressed: number;
  baselined: number;
}

/** Why a text is not a cookieguard JSON report. */
export class NotAReportError extends Error {}

const SOURCES: readonly SourceKind[] = ['code', 'live', 'crawl', 'browser', 'har'];
const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);

function locationOf(x: unknown): CodeLocation | null {
  if (!isObj(x) || typeof x.file !== 'string') return null;
  const n = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  const loc: CodeLocation = { file: x.file, line: n(x.line, 1), column: n(x.column, 1) };
  if (typeof x.endLine === 'number') loc.endLine = x.endLine;
  if (typeof x.endColumn === 'number') loc.endColumn = x.endColumn;
  return loc;
}

function findingOf(x: unknown, i: number): Finding {
  if (!isObj(x)) throw new NotAReportError(`findings[${i}] is not an object`);
  const rule = str(x.rule);
  if (!rule) throw new NotAReportError(`findings[${i}] has no rule`);
  const severity = str(x.severity);
  if (!severity || !SEVERITIES.includes(severity as Severity))
    throw new NotAReportError(`findings[${i}] has no valid severity`);
  const source = str(x.source);
  const f: Finding = {
    rule,
    severity: severity as Severity,
    source: source && SOURCES.includes(source as SourceKind) ? (source as SourceKind) : 'code',
    message: str(x.message) ?? '',
    cookie: str(x.cookie),
    location: locationOf(x.location),
    url: str(x.url),
    evidence: str(x.evidence),
    fix: str(x.fix),
    framework: str(x.framework),
  };
  if (typeof x.browser === 'string') f.browser = x.browser;
  if (typeof x.classification === 'string') f.classification = x.classification;
  if (typeof x.snippet === 'string') f.snippet = x.snippet;
  if (Array.isArray(x.related)) f.related = x.related as Finding['related'];
  if (isObj(x.codeFix)) f.codeFix = x.codeFix as unknown as Finding['codeFix'];
  return f;
}

/** Parses a JSON report; throws NotAReportError with a one-line reason. */
export function parseJsonReport(text: string): ReadReport {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new NotAReportError(`not JSON (${(e as Error).message})`);
  }
  if (!isObj(data)) throw new NotAReportError('not a JSON object');
  const tool = data.tool;
  if (!isObj(tool) || tool.name !== 'cookieguard')
    throw new NotAReportError(
      'not a cookieguard JSON report (no "tool": {"name": "cookieguard"}; use --format json)',
    );
  if (!Array.isArray(data.findings)) throw new NotAReportError('no "findings" array');
  const errors: ReportError[] = Array.isArray(data.errors)
    ? data.errors.filter(isObj).map((e) => {
        const out: ReportError = { message: str(e.message) ?? '' };
        if (typeof e.url === 'string') out.url = e.url;
        if (typeof e.file === 'string') out.file = e.file;
        return out;
      })
    : [];
  const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  return {
    toolVersion: str(tool.version) ?? 'unknown',
    findings: data.findings.map(findingOf),
    errors,
    suppressed: count(data.suppressed),
    baselined: count(data.baselined),
  };
}
