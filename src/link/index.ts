/**
 * Linked findings: a live finding about a cookie carries the code location that configured the
 * cookie, and the code finding carries the URL where the consequence was seen. So a user reads
 * "connect.sid has no Secure at https://... because of src/app.js:12".
 *
 * Linking never changes what was found: it adds `related` entries, and where the code shows which
 * framework set a live cookie, the live finding's framework and fix come from that code.
 */
import type { Finding, RelatedLocation } from '../model/finding.js';
import type { Attr, CodeLocation, CookieObservation, Observation } from '../model/observation.js';
import { cookieAttributeFix, type CookieAttribute } from '../rules/fixes.js';

/** Live rule -> code rules that explain the same consequence, and the cookie attribute that decides it. */
const COOKIE_LINKS: Record<
  string,
  {
    codeRules: string[];
    attribute: keyof Pick<CookieObservation, 'secure' | 'httpOnly' | 'sameSite' | 'domain'> | null;
  }
> = {
  'cookie-missing-secure': {
    codeRules: ['cookie-missing-secure', 'cookie-secure-env-dependent', 'session-trust-proxy-missing'],
    attribute: 'secure',
  },
  'cookie-missing-httponly': { codeRules: ['cookie-missing-httponly'], attribute: 'httpOnly' },
  'cookie-samesite-none-insecure': {
    codeRules: ['cookie-samesite-none-insecure', 'cookie-missing-secure', 'cookie-secure-env-dependent'],
    attribute: 'secure',
  },
  'cookie-samesite-invalid': { codeRules: ['cookie-samesite-invalid'], attribute: 'sameSite' },
  'cookie-domain-broad': { codeRules: ['cookie-domain-broad'], attribute: 'domain' },
  'cookie-prefix-invalid': { codeRules: ['cookie-prefix-invalid'], attribute: null },
  'session-trust-proxy-missing': {
    codeRules: ['session-trust-proxy-missing', 'cookie-missing-secure', 'cookie-secure-env-dependent'],
    attribute: 'secure',
  },
  'cookie-set-over-http': { codeRules: ['https-not-enforced'], attribute: null },
  'session-cookie-persistent': { codeRules: ['session-cookie-persistent'], attribute: null },
};

/** The fix advice of a linked attribute. */
const FIX_ATTRIBUTE: Record<string, CookieAttribute | undefined> = {
  secure: 'secure',
  httpOnly: 'httponly',
  sameSite: 'samesite',
  domain: 'domain',
};

/** Site-level live rules and the code rules that decide the same thing (e.g. Django SECURE_HSTS_SECONDS). */
const SITE_LINKS: Record<string, string[]> = {
  'hsts-missing': ['hsts-missing'],
  'hsts-weak': ['hsts-weak', 'hsts-missing'],
  'https-not-enforced': ['https-not-enforced'],
  'session-id-in-url': ['session-id-in-url'],
};

function sameCookie(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

function fmt(loc: CodeLocation): string {
  return `${loc.file}:${loc.line}`;
}

function related(list: RelatedLocation[] | undefined, add: RelatedLocation): RelatedLocation[] {
  const out = list ? [...list] : [];
  const key = (r: RelatedLocation) =>
    `${r.url ?? ''}|${r.location ? fmt(r.location) + ':' + r.location.column : ''}`;
  if (!out.some((r) => key(r) === key(add))) out.push(add);
  return out;
}

function attrLocation(
  obs: CookieObservation,
  attribute: string | null,
): { location: CodeLocation; evidence?: string } | null {
  if (attribute) {
    const a = obs[attribute as 'secure'] as Attr<unknown> | undefined;
    if (a?.location) return { location: a.location, evidence: a.evidence };
  }
  return obs.location ? { location: obs.location, evidence: obs.snippet?.split('\n')[0]?.trim() } : null;
}

/**
 * Link live findings to code findings (and code observations) about the same cookie or site setting.
 * Returns all findings (live first, then code) with `related` filled in both directions.
 */
export function linkFindings(
  live: readonly Finding[],
  code: readonly Finding[],
  codeObservations: readonly Observation[] = [],
  _liveObservations: readonly Observation[] = [],
): Finding[] {
  const codeOut = code.map((f) => ({ ...f }));
  const cookieObs = codeObservations.filter(
    (o): o is CookieObservation => o.kind === 'cookie' && o.source === 'code',
  );
  const liveOut = live.map((f) => {
    const out: Finding = { ...f };
    const cookieLink = f.cookie ? COOKIE_LINKS[f.rule] : undefined;
    const targets: Finding[] = [];
    if (f.cookie && cookieLink) {
      for (const c of codeOut) {
        if (c.cookie && sameCookie(c.cookie, f.cookie) && cookieLink.codeRules.includes(c.rule) && c.location)
          targets.push(c);
      }
    }
    const siteLink = SITE_LINKS[f.rule];
    if (siteLink) {
      for (const c of codeOut) if (siteLink.includes(c.rule) && c.location) targets.push(c);
    }
    for (const c of targets) {
      out.related = related(out.related, {
        location: c.location!,
        message: `configured at ${fmt(c.location!)}${c.evidence ? `: ${c.evidence}` : ''} (${c.rule})`,
      });
      if (f.url) c.related = related(c.related, { url: f.url, message: `seen live at ${f.url} (${f.rule})` });
    }
    // No code finding (e.g. an explicit `secure: false` in a variable the rule judged elsewhere, or a
    // code setting that is fine in production but not in the environment that served this URL): point
    // at the code that configured the cookie's attribute, if the scan saw the cookie.
    // The fix comes from the framework the code shows set the cookie, not from the cookie's name
    // (a remember_token set by Express res.cookie gets Express advice).
    if (f.cookie && cookieLink?.attribute) {
      const seen = cookieObs.filter((o) => sameCookie(o.name, f.cookie!) && o.framework);
      const frameworks = new Set(seen.map((o) => o.framework));
      const advice = FIX_ATTRIBUTE[cookieLink.attribute];
      if (frameworks.size === 1 && advice) {
        out.framework = seen[0]!.framework!;
        out.fix = cookieAttributeFix(advice, seen[0]!);
      }
    }
    if (targets.length === 0 && f.cookie && cookieLink) {
      for (const o of cookieObs) {
        if (!sameCookie(o.name, f.cookie)) continue;
        const at = attrLocation(o, cookieLink.attribute);
        if (!at) continue;
        out.related = related(out.related, {
          location: at.location,
          message: `cookie configured at ${fmt(at.location)}${at.evidence ? `: ${at.evidence}` : ''}`,
        });
      }
    }
    return out;
  });
  return [...liveOut, ...codeOut];
}
