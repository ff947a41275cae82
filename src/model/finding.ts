/** Findings: what an observation means. The JSON shape is the public contract of spec/findings.md. */
import type { CodeLocation, SourceKind } from './observation.js';

export type Severity = 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info'];

/** Higher is worse. */
export function severityRank(s: Severity): number {
  return { high: 3, medium: 2, low: 1, info: 0 }[s];
}

export interface RelatedLocation {
  /** Code location (file relative to the scanned root) or a URL. */
  location?: CodeLocation;
  url?: string;
  message: string;
}

/** A fix that can be applied mechanically (SARIF `fixes`): replace a region of a file. */
export interface CodeFix {
  description: string;
  file: string;
  /** Region to replace (1-based, end exclusive column). */
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  replacement: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  source: SourceKind;
  message: string;
  cookie: string | null;
  location: CodeLocation | null;
  url: string | null;
  evidence: string | null;
  fix: string | null;
  framework: string | null;
  /** What a browser does because of this (always set by rules). */
  browser?: string;
  /** Why the cookie was judged a session / CSRF / ... cookie. */
  classification?: string;
  /** Code locations / URLs linked to this finding (e.g. the code that configured a live cookie). */
  related?: RelatedLocation[];
  /** Code excerpt for the text report (code findings). */
  snippet?: string;
  /** Mechanical fix, only when the edit is certain. */
  codeFix?: CodeFix;
  /**
   * The evidence with cookie values left in. `evidence` is always redacted; reporters print this
   * instead only with --show-values, and never write it as a field of its own.
   */
  rawEvidence?: string;
}

export interface ReportError {
  message: string;
  url?: string;
  file?: string;
}

export interface Report {
  version: 1;
  tool: { name: 'cookieguard'; version: string };
  findings: Finding[];
  errors: ReportError[];
}
