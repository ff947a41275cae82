/**
 * cookie-blocked-by-browser: Chromium refused to store a cookie (check --browser) for a reason no
 * other rule reports: a cross-site response whose cookie's SameSite forbids it, third-party cookies
 * blocked, an unsupported scheme, or a script's write that did not reach the jar. A blocked cookie
 * that another rule explains (prefix, SameSite=None without Secure, size, Domain, a Secure cookie
 * from http://, overwriting a Secure cookie, syntax) gets that rule's finding, which names
 * Chromium's reason (rules/build.ts), and not this one: one consequence, one finding.
 *
 * Reason names: Chromium's DevTools protocol, Network.SetCookieBlockedReason and
 * Audits.CookieExclusionReason (browser_protocol.pdl).
 */
import type { Finding, Severity } from '../model/finding.js';
import type { CookieObservation } from '../model/observation.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import { cookieSeverity, describeCookie, judgedCookies } from './cookie-facts.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-blocked-by-browser',
  title: 'Chromium blocked the cookie',
  description:
    'Chromium refused to store a cookie the site set (check --browser), for a reason no other rule covers: the ' +
    "response came from a cross-site request and the cookie's SameSite does not allow that, third-party cookies are " +
    'blocked, the scheme does not take cookies, or a script wrote it and Chromium did not keep it. Whatever the cookie ' +
    "carries is lost for users of Chromium-based browsers. The finding names Chromium's own reason.",
  defaultSeverity: 'medium',
  sources: ['browser'],
  severityLogic:
    'medium for session/auth cookies (the login or the session breaks); lowered for other cookies (low, info for vendor cookies)',
  references: [
    'Chromium DevTools protocol: Network.SetCookieBlockedReason, Network.responseReceivedExtraInfo blockedCookies, Audits.CookieIssueDetails (browser_protocol.pdl)',
    REF.sameSite,
    REF.storageModel,
    REF.spec,
  ],
  rejections: ['BlockedByBrowser'],
};

/** What each Chromium reason means, and what to change. */
const EXPLAIN: Record<string, { why: string; fix: string }> = {
  SameSiteStrict: {
    why: 'the response came from a cross-site request and the cookie is SameSite=Strict',
    fix: 'Set it from a same-site response, or use SameSite=None; Secure if it must be set while the site is embedded in another site',
  },
  SameSiteLax: {
    why: 'the response came from a cross-site subrequest and the cookie is SameSite=Lax',
    fix: 'Set it from a same-site response, or use SameSite=None; Secure if it must be set while the site is embedded in another site',
  },
  SameSiteUnspecifiedTreatedAsLax: {
    why: 'the response came from a cross-site subrequest and the cookie has no SameSite, which Chromium treats as Lax',
    fix: 'Give it SameSite=None; Secure if it must work in a cross-site context, or set it from a same-site response',
  },
  UserPreferences: {
    why: 'third-party cookies are blocked by the browser settings',
    fix: 'Do not depend on third-party cookies: serve the feature first-party, or mark the cookie Partitioned (CHIPS) with Secure',
  },
  ThirdPartyPhaseout: {
    why: 'third-party cookies are being phased out',
    fix: 'Do not depend on third-party cookies: serve the feature first-party, or mark the cookie Partitioned (CHIPS) with Secure',
  },
  ThirdPartyBlockedInFirstPartySet: {
    why: 'third-party cookies are blocked, even within a related website set',
    fix: 'Serve the feature first-party, or mark the cookie Partitioned (CHIPS) with Secure',
  },
  SchemeNotSupported: {
    why: 'the URL scheme does not take cookies',
    fix: 'Set cookies from http:// or https:// responses only (https:// with Secure)',
  },
  NoCookieContent: {
    why: 'the Set-Cookie header holds no cookie',
    fix: 'Remove the empty Set-Cookie header, or give it a name=value pair',
  },
};

const NOT_STORED = {
  why: "a script wrote it with document.cookie and it was not in Chromium's jar afterwards",
  fix: "Check the attributes the script writes (Secure, Path, Domain, SameSite) against the page's scheme and host; write the cookie from the server with Set-Cookie where possible",
};

function explanation(c: CookieObservation): { why: string; fix: string; reasons: string } {
  const reasons = c.blockedByBrowser?.reasons ?? [];
  const known = reasons
    .map((r) => EXPLAIN[r.replace(/^Exclude/, '').replace(/^Schemeful/, '')])
    .filter((x) => x);
  if (known.length > 0)
    return { why: known.map((k) => k!.why).join('; '), fix: known[0]!.fix, reasons: reasons.join(', ') };
  if (reasons.length === 0) return { ...NOT_STORED, reasons: 'not stored' };
  return {
    why: `Chromium's reason: ${reasons.join(', ')}`,
    fix: "Look the reason up in Chromium's DevTools (Application > Cookies, Issues panel) and set the cookie so that it is kept",
    reasons: reasons.join(', '),
  };
}

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary } = judged[i]!;
      // Another rule reports a rejection it explains; this one covers what is left.
      if (primary !== 'BlockedByBrowser') continue;
      const e = explanation(c);
      const by = c.setBy === 'script' ? ' written by a script' : '';
      const where = c.delivery ? ` (${c.setBy === 'script' ? 'on' : 'set by'} ${c.delivery.url})` : '';
      const base: Severity = 'medium';
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity(base, c),
          message: `${describeCookie(c)}${by} was blocked by Chromium: ${e.why}${where}`,
          browser: `Chromium does not store the cookie (${e.reasons}): it is never sent back, and what it carries (a session, a preference) is lost`,
          fix: e.fix,
          reportsBlock: true,
        }),
      );
    }
    return out;
  },
};

export default rule;
