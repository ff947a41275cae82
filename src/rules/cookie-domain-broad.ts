/**
 * cookie-domain-broad: a Domain attribute. Any Domain makes the cookie belong to that domain and
 * every subdomain of it (RFC 6265bis storage model: with a Domain the host-only flag is false), so
 * even `Domain=<the exact host>` widens it to subdomains; without Domain it stays on the host. An IP
 * address is the exception: it has no subdomains, so `Domain=<the IP address>` changes nothing.
 */
import type { Finding, Severity } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import {
  cookieSeverity,
  describeCookie,
  domainAttribute,
  hostOf,
  isIpAddress,
  judgedCookies,
  lowerSeverity,
  provenanceWhy,
} from './cookie-facts.js';
import { cookieAttributeFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-domain-broad',
  title: 'Cookie scoped to a domain and all its subdomains',
  description:
    'A Domain attribute widens a cookie from the host that set it to the named domain and every subdomain of it, all ' +
    'of which receive it and can overwrite it. That is true even when Domain names the exact host. Without Domain, ' +
    'the cookie stays on its host.',
  defaultSeverity: 'medium',
  sources: ['code', 'live', 'har'],
  severityLogic:
    'medium for session/auth cookies scoped to a parent domain (or in code, where the host is not known); one step ' +
    'lower when Domain is the exact host; lowered further for other cookies; info in test code',
  references: [REF.storageModel, REF.spec, REF.owaspSession],
};

/** An IPv6 address as a Domain attribute may write it, without its brackets. */
function unbracketed(domain: string): string {
  return domain.startsWith('[') && domain.endsWith(']') ? domain.slice(1, -1) : domain;
}

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary, superseded } = judged[i]!;
      // Overwritten later in the same chain: the browser keeps the later cookie, judged there.
      if (superseded) continue;
      const domain = domainAttribute(c);
      if (domain === undefined) continue;
      if (primary !== null) continue;
      const host = c.delivery ? hostOf(c.delivery.url) : null;
      const exact = host !== null && host === domain;
      // An IP address has no subdomains: Domain naming it leaves the cookie on that address alone
      // (RFC 6265bis §5.1.3: an IP address domain-matches only itself; the parser notes it).
      if (host !== null && isIpAddress(host) && host === unbracketed(domain)) continue;
      let message: string;
      let base: Severity = 'medium';
      if (host !== null && exact) {
        base = lowerSeverity(base);
        message = `${describeCookie(c)} has Domain=${domain}, the exact host: that still sends it to every subdomain of ${domain}; without Domain it would stay on ${host}`;
      } else if (host !== null) {
        message = `${describeCookie(c)} is scoped by ${host} with Domain=${domain}: browsers send it to ${domain} and every subdomain of it`;
      } else {
        message = `${describeCookie(c)} is configured with Domain=${domain} (${provenanceWhy(c.domain, 'Domain is set')}): browsers send it to ${domain} and every subdomain of it`;
      }
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity(base, c),
          message,
          browser: browser.domainBroad(domain, exact),
          fix: `${cookieAttributeFix('domain', c)}; the __Host- prefix makes browsers enforce it`,
          ...(c.domain ? { attr: c.domain } : {}),
        }),
      );
    }
    return out;
  },
};

export default rule;
