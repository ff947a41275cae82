/**
 * `--baseline FILE`: findings already in an earlier report are left out of this one. A finding
 * matches when the rule, the cookie and the place (the code file, else the URL) are the same; the line
 * may have moved and the message may have changed. Matching is one to one: two findings of the same
 * key in this run and one in the baseline leave one new finding (the later one by line), so a second
 * insecure cookie call added to a file is still reported.
 */
import type { Finding } from '../model/finding.js';

/**
 * `normalise` is applied to the place on both sides: the report scrubs secret values out of URLs
 * (a session id in a redirect's URL) before it is written, so a baseline holds them redacted, and
 * this run's findings must be compared in the same form (a fresh session id each run, too).
 */
export function baselineKey(f: Finding, normalise: (s: string) => string = (s) => s): string {
  const place = f.location?.file ?? (f.url !== undefined && f.url !== null ? normalise(f.url) : '');
  return JSON.stringify([f.rule, f.cookie ?? '', place]);
}

export interface BaselineSplit {
  /** Not in the baseline: reported, and the exit code follows them. */
  fresh: Finding[];
  /** Matched a baseline finding: counted as `baselined`, left out of the report. */
  unchanged: Finding[];
}

export function splitByBaseline(
  findings: readonly Finding[],
  baseline: readonly Finding[],
  normalise?: (s: string) => string,
): BaselineSplit {
  const left = new Map<string, number>();
  for (const b of baseline) {
    const k = baselineKey(b, normalise);
    left.set(k, (left.get(k) ?? 0) + 1);
  }
  // Earlier lines take the baseline's places first: what was added since tends to come later.
  const order = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.location?.line ?? 0) - (b.f.location?.line ?? 0) || a.i - b.i);
  const matched = new Set<number>();
  for (const { f, i } of order) {
    const k = baselineKey(f, normalise);
    const n = left.get(k) ?? 0;
    if (n > 0) {
      left.set(k, n - 1);
      matched.add(i);
    }
  }
  const fresh: Finding[] = [];
  const unchanged: Finding[] = [];
  findings.forEach((f, i) => (matched.has(i) ? unchanged : fresh).push(f));
  return { fresh, unchanged };
}
