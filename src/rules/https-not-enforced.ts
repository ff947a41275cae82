/**
 * https-not-enforced: a URL answers over plain HTTP with content instead of redirecting to HTTPS
 * (live), or the framework's HTTPS redirect is off (code: Django SECURE_SSL_REDIRECT, Rails
 * force_ssl, normalised to the setting key 'ssl-redirect').
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { makeFinding } from './build.js';
import * as browser from './browser.js';
import { siteFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'https-not-enforced',
  title: 'Plain HTTP not redirected to HTTPS',
  description:
    'A URL answers over plain HTTP with content instead of a redirect to HTTPS, so users who arrive over http:// stay ' +
    'there (a partially secured site); or the framework setting that redirects to HTTPS is off.',
  defaultSeverity: 'medium',
  sources: ['live', 'crawl', 'code'],
  severityLogic:
    'medium when a live URL serves content over HTTP; low when only the framework setting is off (a proxy in front may ' +
    'redirect already: `cookieguard check` can verify); info in test code',
  references: [REF.spec, REF.userPains, REF.frameworkSettings],
};

export const rule: Rule = {
  meta,
  check(observations) {
    const out: Finding[] = [];
    for (let i = 0; i < observations.length; i++) {
      const o = observations[i]!;
      if (o.kind === 'http-twin') {
        if (!o.reachable || !o.servesContent) continue;
        const cookies = o.chain.reduce((n, hop) => n + hop.setCookies.length, 0);
        const cookieNote = cookies > 0 ? `, setting ${cookies} cookie${cookies === 1 ? '' : 's'}` : '';
        out.push(
          makeFinding({
            meta,
            observation: o,
            severity: 'medium',
            message: `${o.url} answers over plain HTTP with content (status ${o.status ?? '?'}${cookieNote}) instead of redirecting to HTTPS`,
            browser: browser.httpsNotEnforced(),
            fix: siteFix('httpsRedirect', null),
            evidence:
              o.chain
                .map((h) => `${h.url} -> ${h.status}${h.location ? ` Location: ${h.location}` : ''}`)
                .join('\n') || null,
            url: o.url,
          }),
        );
      } else if (o.kind === 'setting' && o.key === 'ssl-redirect') {
        if (o.value !== false || o.provenance.kind === 'unknown' || o.provenance.kind === 'env-dependent')
          continue;
        const p = o.provenance;
        const why =
          p.kind === 'framework-default'
            ? `${o.evidence ? `\`${o.evidence.trim()}\`` : (p.note ?? 'the HTTPS redirect is off')} (${p.framework}'s default)`
            : o.evidence
              ? `\`${o.evidence.trim()}\``
              : 'the HTTPS redirect is turned off';
        out.push(
          makeFinding({
            meta,
            observation: o,
            severity: 'low',
            message: `${o.framework} does not redirect HTTP to HTTPS: ${why}; fine only if a proxy in front redirects`,
            browser: browser.httpsNotEnforced(),
            fix: siteFix('httpsRedirect', o.framework),
            evidence: o.evidence ?? null,
            location: o.location ?? null,
            framework: o.framework,
            ...(o.snippet !== undefined ? { snippet: o.snippet } : {}),
          }),
        );
      }
    }
    return out;
  },
};

export default rule;
