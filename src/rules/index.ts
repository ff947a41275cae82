/**
 * The rules engine: every rule, lookup by id, and runRules, which runs them all over the
 * observations of a run and applies the findings contract's principles across rules:
 *
 * - one consequence, one finding: a cookie browsers reject gets only its rejection's finding (each
 *   rule checks primaryRejection), a cookie set over HTTP gets cookie-set-over-http and not
 *   cookie-missing-secure, and the same cookie seen on several hops of one requested URL (or twice
 *   at one code location) is reported once, with the other places in `related`;
 * - deletions are never judged; findings from test code are info;
 * - a stable order: source, file or URL, line, column, rule, cookie, message.
 */
import type { Finding, RelatedLocation } from '../model/finding.js';
import { severityRank } from '../model/finding.js';
import type { Observation, SourceKind } from '../model/observation.js';
import type { Rule, RuleContext } from './types.js';
import type { DedupeInfo } from './build.js';
import { locationKey, recordDedupeInfo } from './build.js';

import cookieMissingSecure from './cookie-missing-secure.js';
import cookieSecureEnvDependent from './cookie-secure-env-dependent.js';
import cookieMissingHttpOnly from './cookie-missing-httponly.js';
import cookieSameSiteNoneInsecure from './cookie-samesite-none-insecure.js';
import cookieSameSiteInvalid from './cookie-samesite-invalid.js';
import cookiePrefixInvalid from './cookie-prefix-invalid.js';
import cookieSetOverHttp from './cookie-set-over-http.js';
import cookieDomainBroad from './cookie-domain-broad.js';
import sessionIdInUrl from './session-id-in-url.js';
import sessionTrustProxyMissing from './session-trust-proxy-missing.js';
import httpsNotEnforced from './https-not-enforced.js';
import hstsMissing from './hsts-missing.js';
import hstsWeak from './hsts-weak.js';
import mixedContent from './mixed-content.js';
import formPostsOverHttp from './form-posts-over-http.js';
import cookieOversized from './cookie-oversized.js';
import setCookieMalformed from './set-cookie-malformed.js';
import sessionCookiePersistent from './session-cookie-persistent.js';
import cookieSecureOverHttp from './cookie-secure-over-http.js';
import cookieShadowingSecure from './cookie-shadowing-secure.js';
import cookieDomainInvalid from './cookie-domain-invalid.js';
import tlsCertificateInvalid from './tls-certificate-invalid.js';
import cookieConfigUnresolved from './cookie-config-unresolved.js';
// check --login
import sessionNotRenewedOnLogin from './session-not-renewed-on-login.js';
// check --browser (issue 12)
import cookieBlockedByBrowser from './cookie-blocked-by-browser.js';

export type { Rule, RuleContext, RuleMeta } from './types.js';
export { redactSetCookie } from '../cookies/redact.js';

/** Every rule, core rules of spec/findings.md first, in the order of that table. */
export const allRules: Rule[] = [
  cookieMissingSecure,
  cookieSecureEnvDependent,
  cookieMissingHttpOnly,
  cookieSameSiteNoneInsecure,
  cookieSameSiteInvalid,
  cookiePrefixInvalid,
  cookieSetOverHttp,
  cookieDomainBroad,
  sessionIdInUrl,
  sessionTrustProxyMissing,
  httpsNotEnforced,
  hstsMissing,
  hstsWeak,
  mixedContent,
  formPostsOverHttp,
  cookieConfigUnresolved,
  cookieOversized,
  setCookieMalformed,
  sessionCookiePersistent,
  cookieSecureOverHttp,
  cookieShadowingSecure,
  cookieDomainInvalid,
  tlsCertificateInvalid,
  // check --login
  sessionNotRenewedOnLogin,
  // check --browser (issue 12)
  cookieBlockedByBrowser,
];

const byId = new Map(allRules.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}

const SOURCE_ORDER: readonly SourceKind[] = ['code', 'live', 'crawl', 'browser', 'har'];

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The deterministic order of findings: source, file or URL, line, column, rule, cookie, URL, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(SOURCE_ORDER.indexOf(a.source), SOURCE_ORDER.indexOf(b.source)) ||
    cmp(a.location?.file ?? a.url ?? '', b.location?.file ?? b.url ?? '') ||
    cmp(a.location?.line ?? 0, b.location?.line ?? 0) ||
    cmp(a.location?.column ?? 0, b.location?.column ?? 0) ||
    cmp(a.rule, b.rule) ||
    cmp(a.cookie ?? '', b.cookie ?? '') ||
    cmp(a.url ?? '', b.url ?? '') ||
    cmp(a.message, b.message)
  );
}

/** At most this many other places are listed in `related` when duplicates are merged. */
const MAX_RELATED = 10;

function placeOf(f: Finding): RelatedLocation | null {
  if (f.url) return { url: f.url, message: 'also seen here' };
  if (f.location) return { location: f.location, message: 'also seen here' };
  return null;
}

/** Merges findings of one rule with the same key: the worst severity, then the earliest hop, represents them. */
function dedupe(findings: readonly Finding[], info: ReadonlyMap<Finding, DedupeInfo>): Finding[] {
  // Groups in order of appearance, found by rule then key. One finding per key is the rule: a
  // group becomes an array only when a second finding joins it.
  const groups: (Finding | Finding[])[] = [];
  const byRule = new Map<string, Map<string, number>>();
  for (let n = 0; n < findings.length; n++) {
    const f = findings[n]!;
    const i = info.get(f);
    const key =
      i?.key ?? [f.source, f.cookie ?? '', f.url ?? '', locationKey(f.location), f.message].join('\u0000');
    let keys = byRule.get(f.rule);
    if (keys === undefined) byRule.set(f.rule, (keys = new Map()));
    const at = keys.get(key);
    if (at === undefined) {
      keys.set(key, groups.length);
      groups.push(f);
    } else {
      const g = groups[at]!;
      if (Array.isArray(g)) g.push(f);
      else groups[at] = [g, f];
    }
  }
  const out: Finding[] = [];
  for (const g of groups) {
    if (!Array.isArray(g)) {
      out.push(g);
      continue;
    }
    const sorted = [...g].sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) ||
        (info.get(a)?.rank ?? 0) - (info.get(b)?.rank ?? 0) ||
        compareFindings(a, b),
    );
    const head = sorted[0]!;
    const seen = new Set<string>([head.url ?? locationKey(head.location)]);
    const related: RelatedLocation[] = [...(head.related ?? [])];
    for (const other of sorted.slice(1)) {
      const place = placeOf(other);
      const k = other.url ?? locationKey(other.location);
      if (!place || seen.has(k)) continue;
      seen.add(k);
      if (related.length < MAX_RELATED) related.push(place);
    }
    out.push(related.length > 0 ? { ...head, related } : head);
  }
  return out;
}

/**
 * Runs every rule over the observations and returns the findings, deduplicated and in a stable
 * order. Pure: the same observations give the same findings.
 *
 * Speed: rules share per-run facts through `ctx` (judgedCookies), and their loops over the
 * observations index the arrays: a for-of loop allocates an iterator result per element until the
 * code is optimised, and a run is often the first or second the process makes.
 */
export function runRules(observations: readonly Observation[], rules: readonly Rule[] = allRules): Finding[] {
  const ctx: RuleContext = { observations };
  const { result: all, info } = recordDedupeInfo(() => {
    const found: Finding[] = [];
    for (const rule of rules) {
      const fs = rule.check(observations, ctx);
      for (let i = 0; i < fs.length; i++) found.push(fs[i]!);
    }
    return found;
  });
  return sortFindings(dedupe(all, info));
}

/**
 * Sorts in compareFindings' order, with the source rank and place of each finding looked up once
 * rather than at every comparison (the same comparisons' outcomes, so the same stable result).
 */
function sortFindings(findings: readonly Finding[]): Finding[] {
  const keyed = findings.map((f) => ({
    f,
    source: SOURCE_ORDER.indexOf(f.source),
    place: f.location?.file ?? f.url ?? '',
    line: f.location?.line ?? 0,
    column: f.location?.column ?? 0,
  }));
  keyed.sort(
    (a, b) =>
      cmp(a.source, b.source) ||
      cmp(a.place, b.place) ||
      cmp(a.line, b.line) ||
      cmp(a.column, b.column) ||
      cmp(a.f.rule, b.f.rule) ||
      cmp(a.f.cookie ?? '', b.f.cookie ?? '') ||
      cmp(a.f.url ?? '', b.f.url ?? '') ||
      cmp(a.f.message, b.f.message),
  );
  return keyed.map((k) => k.f);
}
