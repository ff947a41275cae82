/**
 * hsts-missing: an HTTPS response without Strict-Transport-Security (live), or a framework whose
 * HSTS setting is off or zero (code: Django SECURE_HSTS_SECONDS, normalised to 'hsts-max-age').
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { makeFinding } from './build.js';
import * as browser from './browser.js';
import { siteFix } from './fixes.js';
import { hstsStateOf } from './hsts-facts.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'hsts-missing',
  title: 'No HSTS',
  description:
    'An HTTPS response without Strict-Transport-Security, or a framework configured not to send it. Without HSTS the ' +
    'browser keeps making http:// requests when users type the host or follow http:// links, exposing them and every ' +
    'non-Secure cookie to SSL stripping.',
  defaultSeverity: 'medium',
  sources: ['live', 'code', 'har'],
  severityLogic:
    'medium for an HTTPS response without the header (live); low when only the framework setting is off (a proxy in ' +
    'front may add the header); info in test code',
  references: [REF.hsts, REF.spec, REF.frameworkSettings],
};

export const rule: Rule = {
  meta,
  check(observations) {
    const out: Finding[] = [];
    for (let i = 0; i < observations.length; i++) {
      const o = observations[i]!;
      if (hstsStateOf(o).kind !== 'missing') continue;
      if (o.kind === 'hsts' && o.source !== 'code') {
        out.push(
          makeFinding({
            meta,
            observation: o,
            severity: 'medium',
            message: `${o.url} is served over HTTPS without Strict-Transport-Security`,
            browser: browser.hstsMissing(),
            fix: siteFix('hsts', o.framework),
            url: o.url,
            framework: o.framework ?? null,
          }),
        );
      } else if (o.kind === 'hsts' || o.kind === 'setting') {
        const fw = o.framework ?? null;
        const what = o.evidence ? `\`${o.evidence.trim()}\`` : 'the HSTS max-age is 0 or unset';
        out.push(
          makeFinding({
            meta,
            observation: o,
            severity: 'low',
            message: `${fw ?? 'The application'} does not send Strict-Transport-Security: ${what}; fine only if a proxy in front adds it`,
            browser: browser.hstsMissing(),
            fix: siteFix('hsts', fw),
            evidence: o.evidence ?? null,
            location: o.location ?? null,
            framework: fw,
            ...(o.kind === 'setting' && o.snippet !== undefined ? { snippet: o.snippet } : {}),
          }),
        );
      }
    }
    return out;
  },
};

export default rule;
