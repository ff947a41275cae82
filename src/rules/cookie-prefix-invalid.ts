/**
 * cookie-prefix-invalid: a `__Secure-` or `__Host-` cookie (matched case-insensitively) that breaks
 * its prefix's requirements: browsers reject it (RFC 6265bis "Cookie Name Prefixes" and storage
 * model steps 20-22).
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import {
  cookieSeverity,
  describeCookie,
  domainAttribute,
  judgedCookies,
  known,
  otherRejections,
  prefixProblems,
} from './cookie-facts.js';
import { cookieAttributeFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-prefix-invalid',
  title: 'Cookie prefix requirements broken: rejected',
  description:
    'A cookie whose name starts with __Secure- (requires Secure) or __Host- (requires Secure, Path=/ and no Domain), ' +
    'matched case-insensitively, that breaks those requirements. Browsers refuse to store it, silently. A rejected ' +
    'cookie gets only this finding.',
  defaultSeverity: 'medium',
  sources: ['code', 'live', 'browser', 'har'],
  severityLogic:
    'medium for session/auth cookies (the login silently breaks); low for CSRF, unrecognised, preference, analytics ' +
    'and infrastructure cookies; info when vendor-controlled or in test code',
  references: [REF.prefixes, REF.storageModel, REF.spec],
  rejections: ['InvalidPrefix'],
};

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary } = judged[i]!;
      if (primary !== 'InvalidPrefix') continue;
      const prefix = c.prefix ?? (c.name === '' ? 'a prefixed value' : 'its prefix');
      const problems = prefixProblems(c);
      const why =
        problems.length > 0
          ? problems.join('; ')
          : c.name === ''
            ? 'a nameless cookie whose value starts with a cookie prefix'
            : `the ${prefix} requirements are not met`;
      const also = otherRejections(c, 'InvalidPrefix');
      const where = c.delivery ? ` (set by ${c.delivery.url})` : '';
      const fix =
        c.prefix === '__Host-'
          ? `Send the cookie with Secure, Path=/ and no Domain: ${cookieAttributeFix('name', c)}`
          : `Send the cookie with Secure: ${cookieAttributeFix('secure', c)}`;
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity('medium', c),
          message:
            `${describeCookie(c)} is rejected by browsers: ${why}${where}` +
            (also.length > 0 ? ` (also: ${also.join('; ')})` : ''),
          browser: browser.prefixInvalid(c.prefix ?? '__Host-/__Secure-'),
          fix: `${fix}; or drop the prefix from the name if those requirements cannot hold`,
          attr:
            known(c.secure) === false
              ? c.secure
              : domainAttribute(c) !== undefined
                ? c.domain
                : (c.path ?? c.secure),
        }),
      );
    }
    return out;
  },
};

export default rule;
