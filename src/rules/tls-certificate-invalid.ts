/**
 * tls-certificate-invalid: the TLS certificate of a checked URL is not trusted (expired, wrong
 * name, unknown issuer, incomplete chain), as verified against the system roots and --ca.
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { makeFinding } from './build.js';
import * as browser from './browser.js';
import { hostOf } from './cookie-facts.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'tls-certificate-invalid',
  title: 'TLS certificate not trusted',
  description:
    'The certificate presented for a checked HTTPS URL does not verify (expired, not valid for the name, unknown ' +
    'issuer, incomplete chain). Browsers stop at a certificate error, and users who click through cannot tell the site ' +
    'from an attacker, which defeats Secure cookies and HSTS.',
  defaultSeverity: 'high',
  sources: ['live', 'browser'],
  severityLogic:
    'high: every HTTPS guarantee depends on it (reported even when --insecure let the check continue)',
  references: [REF.hsts, REF.spec],
};

export const rule: Rule = {
  meta,
  check(observations) {
    const out: Finding[] = [];
    for (let i = 0; i < observations.length; i++) {
      const o = observations[i]!;
      if (o.kind !== 'tls' || o.authorized) continue;
      const host = hostOf(o.url) ?? o.url;
      out.push(
        makeFinding({
          meta,
          observation: o,
          severity: 'high',
          message:
            `The TLS certificate of ${host} is not trusted${o.error ? `: ${o.error}` : ''}` +
            (o.insecureAllowed ? ' (checked anyway because of --insecure)' : ''),
          browser: browser.tlsInvalid(),
          fix:
            `Serve a certificate from a CA browsers trust, valid now and for ${host}, with its intermediate certificates; ` +
            'for local development, `cookieguard dev` creates a local CA and installs it in the trust stores',
          evidence: o.error ?? null,
          url: o.url,
        }),
      );
    }
    return out;
  },
};

export default rule;
