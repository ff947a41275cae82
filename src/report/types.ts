/**
 * Options shared by every reporter. Reporters are pure functions of a Report and these options:
 * they render, they never decide (what is suppressed, what fails and what was reachable are decided
 * by the command line before rendering).
 */
import type { Finding, Severity } from '../model/finding.js';
import { severityRank } from '../model/finding.js';
import type { RuleMeta } from '../rules/types.js';

export type Format = 'text' | 'json' | 'sarif' | 'junit' | 'html' | 'markdown';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'junit', 'html', 'markdown'];

/** `none`: no finding fails the run. */
export type FailOn = Severity | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = ['high', 'medium', 'low', 'info', 'none'];

export interface RenderOptions {
  /** Print unredacted evidence (`rawEvidence`) instead of the redacted `evidence`. */
  showValues: boolean;
  /** ANSI colours (text only). */
  color: boolean;
  /** Threshold of the run: JUnit failures and the text summary's verdict follow it. */
  failOn: FailOn;
  /** Findings dropped by the config file's `ignore` list. */
  suppressed: number;
  /** Metadata of every known rule (SARIF `tool.driver.rules`). */
  rules: readonly RuleMeta[];
  /** Absolute directory that code locations are relative to (SARIF `%SRCROOT%`). */
  srcRoot?: string | null;
  /** False when the command could not do its job (exit 2): SARIF `executionSuccessful`. */
  executionSuccessful?: boolean;
  /**
   * Set when a `--baseline` was given: the findings of this run that matched it (left out of the
   * report's findings). Counted as `baselined`; SARIF lists them with `baselineState: unchanged` and
   * the others with `new`.
   */
  baseline?: { unchanged: readonly Finding[] };
  /** Text: the full explanation of every finding (`--explain` / `--verbose`) instead of the compact report. */
  explain?: boolean;
  /** Text: columns to wrap the compact report to (default 80). */
  width?: number;
}

/** How many findings a baseline left out. */
export function baselinedCount(opts: Pick<RenderOptions, 'baseline'>): number {
  return opts.baseline?.unchanged.length ?? 0;
}

/** True when a finding of severity `s` fails a run with threshold `failOn`. */
export function reachesThreshold(s: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && severityRank(s) >= severityRank(failOn);
}

/** A finding as it may arrive from the rules engine: `rawEvidence` is the unredacted evidence. */
type WithRaw = Finding & { rawEvidence?: string };

/** The evidence to print: unredacted only when the user asked for values. */
export function evidenceFor(f: Finding, showValues: boolean): string | null {
  const raw = (f as WithRaw).rawEvidence;
  if (showValues && typeof raw === 'string') return raw;
  return f.evidence;
}

/** Where a finding belongs in grouped reports: the code file, else the URL. */
export function groupKeyOf(f: Finding): { kind: 'file' | 'url' | 'none'; key: string } {
  if (f.source === 'code' && f.location) return { kind: 'file', key: f.location.file };
  if (f.url) return { kind: 'url', key: f.url };
  if (f.location) return { kind: 'file', key: f.location.file };
  return { kind: 'none', key: '(general)' };
}

/** Deterministic order: group, cookie, severity (worst first), rule, line. Keys are computed once per finding. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const kindOrder = { file: 0, url: 1, none: 2 };
  const keyed = findings.map((f) => {
    const g = groupKeyOf(f);
    return {
      f,
      kind: kindOrder[g.kind],
      group: g.key,
      cookie: f.cookie ?? '',
      sev: severityRank(f.severity),
    };
  });
  keyed.sort(
    (a, b) =>
      a.kind - b.kind ||
      cmp(a.group, b.group) ||
      cmp(a.cookie, b.cookie) ||
      b.sev - a.sev ||
      cmp(a.f.rule, b.f.rule) ||
      (a.f.location?.line ?? 0) - (b.f.location?.line ?? 0) ||
      (a.f.location?.column ?? 0) - (b.f.location?.column ?? 0),
  );
  return keyed.map((k) => k.f);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function formatLocation(loc: { file: string; line: number; column: number }): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}
