/**
 * cookie-shadowing-secure: a non-Secure cookie with the same name as a Secure one whose domain and
 * path match. RFC 6265bis storage model ("leave secure cookies alone", Strict Secure Cookies,
 * Chrome 58+, Firefox 52+): a non-Secure cookie from a non-secure origin is ignored when a Secure
 * cookie of the same name exists whose domain domain-matches it (either way) and whose path the new
 * cookie's path path-matches. The site's own HTTP pages then lose the cookie, and before the Secure
 * one exists an attacker on HTTP can plant a same-named cookie.
 *
 * Cookies are compared within one source (code with code, live with live). Domain and path matching
 * use tough-cookie's domainMatch / pathMatch / defaultPath.
 */
import { defaultPath, domainMatch, pathMatch } from 'tough-cookie';
import type { Finding } from '../model/finding.js';
import type { CookieObservation } from '../model/observation.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import {
  cookieSeverity,
  describeCookie,
  domainAttribute,
  hostOf,
  judgedCookies,
  known,
} from './cookie-facts.js';
import type { JudgedCookie } from './cookie-facts.js';
import { cookieAttributeFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-shadowing-secure',
  title: 'Non-Secure cookie shadows a Secure one',
  description:
    'A cookie set without Secure under the name of a Secure cookie of the same site (domain and path matching). ' +
    'Browsers refuse to let a non-Secure cookie from plain HTTP overwrite the Secure one ("leave secure cookies ' +
    'alone"), so which one the browser holds depends on order: the HTTP part of the site loses its session, and an ' +
    'attacker on the network can plant a same-named cookie before the Secure one exists. The __Host- prefix prevents it.',
  defaultSeverity: 'medium',
  sources: ['code', 'live', 'browser', 'har'],
  severityLogic:
    'medium for session/auth cookies; lowered for other cookies like the rejection rules; info in test code',
  references: [REF.strictSecure, REF.storageModel, REF.prefixes, REF.spec],
  rejections: ['OverwriteSecure'],
};

/** Domain the cookie is stored under: its Domain attribute, else the host that set it ('' in code: the app's host). */
function scopeDomain(c: CookieObservation): string | null {
  const d = domainAttribute(c);
  if (d !== undefined) return d;
  if (c.source === 'code') return c.domain && c.domain.value === 'unknown' ? null : '';
  return hostOf(c.delivery?.url);
}

/** Path the cookie is stored under: its Path attribute, else the default-path of the request URL ('/' in code). */
function scopePath(c: CookieObservation): string | null {
  const p = known(c.path);
  if (p !== undefined && p.startsWith('/')) return p;
  if (c.path && c.path.value === 'unknown') return null;
  if (c.source === 'code') return '/';
  try {
    return c.delivery ? defaultPath(new URL(c.delivery.url).pathname) : null;
  } catch {
    return null;
  }
}

function domainsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  if (a === '' || b === '') return false;
  return domainMatch(a, b, false) === true || domainMatch(b, a, false) === true;
}

/** The Secure cookie that `c` (not Secure) would be refused against, if any, among the Secure cookies of its name. */
function shadowedBy(
  c: CookieObservation,
  secureOfName: readonly JudgedCookie[],
): CookieObservation | undefined {
  if (secureOfName.length === 0) return undefined;
  const d = scopeDomain(c);
  const p = scopePath(c);
  if (d === null || p === null) return undefined;
  return secureOfName.find(({ cookie: s, primary }) => {
    if (s === c || s.source !== c.source || s.app !== c.app) return false;
    if (primary !== null) return false;
    const sd = scopeDomain(s);
    const sp = scopePath(s);
    return sd !== null && sp !== null && domainsMatch(d, sd) && pathMatch(p, sp);
  })?.cookie;
}

const NONE: readonly JudgedCookie[] = [];

/** " by <url>" (live) or " at <file>:<line>" of the code that decides Secure. */
function placeOf(c: CookieObservation): string {
  if (c.delivery) return ` by ${c.delivery.url}`;
  const l = c.secure.location ?? c.location;
  return l ? ` at ${l.file}:${l.line}` : '';
}

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const cookies = judgedCookies(observations, ctx);
    // Only names that some non-Secure cookie has can be shadowed: index the Secure cookies of those.
    const insecureNames = new Set<string>();
    for (let i = 0; i < cookies.length; i++) {
      const c = cookies[i]!.cookie;
      if (known(c.secure) === false) insecureNames.add(c.name);
    }
    const secureByName = new Map<string, JudgedCookie[]>();
    for (let i = 0; i < cookies.length; i++) {
      const j = cookies[i]!;
      if (!insecureNames.has(j.cookie.name) || known(j.cookie.secure) !== true) continue;
      const list = secureByName.get(j.cookie.name);
      if (list) list.push(j);
      else secureByName.set(j.cookie.name, [j]);
    }
    for (let i = 0; i < cookies.length; i++) {
      const { cookie: c, primary, superseded } = cookies[i]!;
      if (known(c.secure) !== false) continue;
      // Overwritten later in its chain by the Secure one: nothing is shadowed.
      if (superseded) continue;
      if (primary !== null && primary !== 'OverwriteSecure') continue;
      const s = shadowedBy(c, secureByName.get(c.name) ?? NONE);
      if (!s && primary !== 'OverwriteSecure') continue;
      const rejected = primary === 'OverwriteSecure';
      const here = placeOf(c);
      const there = s ? placeOf(s) : '';
      const message = rejected
        ? `${describeCookie(c)} is set without Secure${here}, but browsers refuse to let it overwrite the Secure cookie of the same name${there}`
        : `${describeCookie(c)} is set without Secure${here}, while the same name is set with Secure${there}: browsers keep whichever comes first`;
      const related = s
        ? [
            {
              ...((s.secure.location ?? s.location) ? { location: (s.secure.location ?? s.location)! } : {}),
              ...(s.delivery ? { url: s.delivery.url } : {}),
              message: `the Secure ${s.name} cookie`,
            },
          ]
        : [];
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity('medium', c),
          message,
          browser: browser.shadowingSecure(rejected),
          fix: `Set the cookie Secure everywhere (${cookieAttributeFix('secure', c)}), serve every page over HTTPS, and use the __Host- prefix so nothing can shadow it`,
          attr: c.secure,
          related,
        }),
      );
    }
    return out;
  },
};

export default rule;
