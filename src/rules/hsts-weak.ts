/**
 * hsts-weak: HSTS with a max-age under 180 days (15552000 s), max-age=0 (which removes the
 * policy), or a header browsers ignore because it is malformed (RFC 6797 §6.1; only the first
 * header is processed, §8.1).
 */
import type { Finding, Severity } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { makeFinding } from './build.js';
import * as browser from './browser.js';
import { siteFix } from './fixes.js';
import { days, HSTS_MIN_MAX_AGE, hstsStateOf } from './hsts-facts.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'hsts-weak',
  title: 'Weak or malformed HSTS',
  description:
    `Strict-Transport-Security with a max-age under 180 days (${HSTS_MIN_MAX_AGE} seconds), max-age=0 (which tells ` +
    'browsers to forget the policy), or a header browsers ignore because it is malformed.',
  defaultSeverity: 'medium',
  sources: ['live', 'code', 'har'],
  severityLogic:
    'medium when browsers ignore the policy (malformed, or max-age=0); low for a max-age under 180 days; info in test code',
  references: [REF.hsts, REF.hstsThreshold, REF.spec],
};

export const rule: Rule = {
  meta,
  check(observations) {
    const out: Finding[] = [];
    for (let i = 0; i < observations.length; i++) {
      const o = observations[i]!;
      const state = hstsStateOf(o);
      if (state.kind !== 'malformed' && state.kind !== 'zero' && state.kind !== 'short') continue;
      if (o.kind !== 'hsts' && o.kind !== 'setting') continue;
      const live = o.kind === 'hsts' && o.source !== 'code';
      const subject = live
        ? `${o.url} sends Strict-Transport-Security`
        : `${o.framework ?? 'The application'} configures HSTS`;
      let message: string;
      let severity: Severity;
      if (state.kind === 'malformed') {
        severity = 'medium';
        message = `${subject} that browsers ignore: ${state.errors.join('; ') || 'malformed'}`;
      } else if (state.kind === 'zero') {
        severity = 'medium';
        message = `${subject} with max-age=0, which removes the HSTS policy`;
      } else {
        severity = 'low';
        const sub =
          o.kind === 'hsts' && o.parsed && !o.parsed.includeSubDomains
            ? ' (and without includeSubDomains)'
            : '';
        message = `${subject} with max-age=${state.maxAge} (${days(state.maxAge)}), under the 180 days (${HSTS_MIN_MAX_AGE} s) expected${sub}`;
      }
      const evidence =
        o.kind === 'hsts' && o.headers.length > 0
          ? o.headers.map((h) => `Strict-Transport-Security: ${h}`).join('\n')
          : (o.evidence ?? null);
      out.push(
        makeFinding({
          meta,
          observation: o,
          severity,
          message,
          browser: browser.hstsWeak(state.kind),
          fix: `${siteFix('hsts', o.framework)} (max-age of at least ${HSTS_MIN_MAX_AGE}; one year, 31536000, is usual)`,
          evidence,
          url: live ? o.url : null,
          location: live ? null : (o.location ?? null),
          framework: o.framework ?? null,
          ...(o.kind === 'setting' && o.snippet !== undefined ? { snippet: o.snippet } : {}),
        }),
      );
    }
    return out;
  },
};

export default rule;
