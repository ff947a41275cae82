/**
 * cookie-oversized: name + value over 4096 bytes: browsers ignore the cookie (RFC 6265bis §5.6;
 * Chrome, Firefox and Safari enforce it). Between 3072 and 4096 bytes (75% of the limit) the cookie
 * is still stored but a little growth loses it: reported at low so cookie-based session stores
 * (cookie-session, iron-session, Flask, Rails cookie store) are warned before they break.
 */
import type { Finding, Severity } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import {
  cookieFramework,
  cookieSeverity,
  cookieSize,
  describeCookie,
  judgedCookies,
  MAX_NAME_VALUE_OCTETS,
  otherRejections,
} from './cookie-facts.js';
import { siteFix } from './fixes.js';
import { REF } from './references.js';

/** Above this many bytes (75% of the limit), a cookie is close enough to the limit to warn about. */
export const NEAR_LIMIT_OCTETS = 3072;

export const meta: RuleMeta = {
  id: 'cookie-oversized',
  title: 'Cookie over (or close to) the 4096-byte limit',
  description:
    `A cookie whose name and value exceed ${MAX_NAME_VALUE_OCTETS} bytes: browsers ignore it, losing whatever it ` +
    `carries. Above ${NEAR_LIMIT_OCTETS} bytes (75% of the limit) it is reported as a warning: a little growth and it ` +
    'is silently dropped.',
  defaultSeverity: 'medium',
  sources: ['live', 'browser', 'har'],
  severityLogic:
    `over ${MAX_NAME_VALUE_OCTETS} bytes: medium for session/auth cookies (rejected: the session is lost), lowered for ` +
    `other cookies; over ${NEAR_LIMIT_OCTETS} bytes: low for session cookies, low or info for others`,
  references: [REF.sizeLimit, REF.storageModel, REF.spec],
  rejections: ['NameValuePairExceedsMaxSize'],
};

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary } = judged[i]!;
      const size = cookieSize(c);
      if (size === undefined) continue;
      const rejected = primary === 'NameValuePairExceedsMaxSize';
      if (!rejected && (primary !== null || size <= NEAR_LIMIT_OCTETS)) continue;
      const where = c.delivery ? ` (set by ${c.delivery.url})` : '';
      const also = rejected ? otherRejections(c, 'NameValuePairExceedsMaxSize') : [];
      const message = rejected
        ? `${describeCookie(c)} is ${size} bytes (name + value), over the ${MAX_NAME_VALUE_OCTETS}-byte limit: browsers ignore it${where}` +
          (also.length > 0 ? ` (also: ${also.join('; ')})` : '')
        : `${describeCookie(c)} is ${size} bytes (name + value), close to the ${MAX_NAME_VALUE_OCTETS}-byte limit browsers enforce${where}`;
      const base: Severity = rejected ? 'medium' : 'low';
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity(base, c),
          message,
          browser: browser.oversized(rejected),
          fix: siteFix('size', cookieFramework(c)),
        }),
      );
    }
    return out;
  },
};

export default rule;
