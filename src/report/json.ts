/**
 * `--format json`: the contract of spec/findings.md. The contract's fields come first, in the
 * contract's order, always present (null when not applicable); optional extras follow when set.
 * `rawEvidence` is never written as a field of its own: with --show-values it becomes `evidence`.
 */
import type { Finding, Report, ReportError } from '../model/finding.js';
import type { RenderOptions } from './types.js';
import { baselinedCount, evidenceFor, sortFindings } from './types.js';

export interface JsonFinding {
  rule: string;
  severity: Finding['severity'];
  source: Finding['source'];
  message: string;
  cookie: string | null;
  location: Finding['location'];
  url: string | null;
  evidence: string | null;
  fix: string | null;
  framework: string | null;
  browser?: string;
  classification?: string;
  related?: Finding['related'];
  snippet?: string;
  codeFix?: Finding['codeFix'];
}

export interface JsonReport {
  version: 1;
  tool: Report['tool'];
  findings: JsonFinding[];
  errors: ReportError[];
  /** Findings dropped by the config file's `ignore` list. */
  suppressed: number;
  /** Findings left out because `--baseline` holds them. */
  baselined: number;
}

export function toJsonFinding(f: Finding, showValues: boolean): JsonFinding {
  const out: JsonFinding = {
    rule: f.rule,
    severity: f.severity,
    source: f.source,
    message: f.message,
    cookie: f.cookie ?? null,
    location: f.location
      ? {
          file: f.location.file,
          line: f.location.line,
          column: f.location.column,
          ...(f.location.endLine !== undefined ? { endLine: f.location.endLine } : {}),
          ...(f.location.endColumn !== undefined ? { endColumn: f.location.endColumn } : {}),
        }
      : null,
    url: f.url ?? null,
    evidence: evidenceFor(f, showValues),
    fix: f.fix ?? null,
    framework: f.framework ?? null,
  };
  if (f.browser !== undefined) out.browser = f.browser;
  if (f.classification !== undefined) out.classification = f.classification;
  if (f.related !== undefined && f.related.length > 0) out.related = f.related;
  if (f.snippet !== undefined) out.snippet = f.snippet;
  if (f.codeFix !== undefined) out.codeFix = f.codeFix;
  return out;
}

export function toJsonReport(
  report: Report,
  opts: Pick<RenderOptions, 'showValues' | 'suppressed' | 'baseline'>,
): JsonReport {
  return {
    version: 1,
    tool: { name: report.tool.name, version: report.tool.version },
    findings: sortFindings(report.findings).map((f) => toJsonFinding(f, opts.showValues)),
    errors: report.errors.map((e) => ({
      message: e.message,
      ...(e.url !== undefined ? { url: e.url } : {}),
      ...(e.file !== undefined ? { file: e.file } : {}),
    })),
    suppressed: opts.suppressed,
    baselined: baselinedCount(opts),
  };
}

export function renderJson(report: Report, opts: RenderOptions): string {
  return `${JSON.stringify(toJsonReport(report, opts), null, 2)}\n`;
}
