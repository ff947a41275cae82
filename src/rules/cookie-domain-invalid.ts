/**
 * cookie-domain-invalid: a Domain attribute the setting host may not use (not the host nor a
 * parent of it, or a public suffix): browsers ignore the cookie (RFC 6265bis storage model, Domain
 * steps; public suffixes per the Public Suffix List shipped with tough-cookie).
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import {
  cookieSeverity,
  describeCookie,
  domainAttribute,
  domainProblem,
  judgedCookies,
  otherRejections,
} from './cookie-facts.js';
import { cookieAttributeFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-domain-invalid',
  title: 'Cookie Domain the host cannot use: rejected',
  description:
    'A Domain attribute that is neither the responding host nor one of its parent domains, or that is a public suffix ' +
    '(co.uk, github.io ...). Browsers refuse to store the cookie. A rejected cookie gets only this finding.',
  defaultSeverity: 'medium',
  sources: ['live', 'browser', 'har'],
  severityLogic:
    'medium for session/auth cookies (the login silently breaks), lowered like the other rejection rules for other cookies',
  references: [REF.storageModel, REF.spec],
  rejections: ['InvalidDomain'],
};

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary } = judged[i]!;
      if (primary !== 'InvalidDomain') continue;
      const domain = domainAttribute(c) ?? c.domain?.value ?? '?';
      const why = domainProblem(c) ?? 'browsers judged the Domain invalid for this host';
      const also = otherRejections(c, 'InvalidDomain');
      const where = c.delivery ? ` set by ${c.delivery.url}` : '';
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity('medium', c),
          message:
            `${describeCookie(c)}${where} has Domain=${domain}, which browsers reject: ${why}` +
            (also.length > 0 ? ` (also: ${also.join('; ')})` : ''),
          browser: browser.domainInvalid(),
          fix: `${cookieAttributeFix('domain', c)}, or set Domain to the host or a parent domain of it that is not a public suffix`,
          ...(c.domain ? { attr: c.domain } : {}),
        }),
      );
    }
    return out;
  },
};

export default rule;
