/**
 * cookie-secure-env-dependent: code sets Secure only under an environment condition
 * (`secure: process.env.NODE_ENV === 'production'`, `SESSION_COOKIE_SECURE = not DEBUG`,
 * `env('SESSION_SECURE_COOKIE')`). The finding names the condition and the value in every
 * environment the collector resolved (knowledge/user-pains.md item 3).
 */
import type { Finding, Severity } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import {
  cookieSeverity,
  describeCookie,
  isFalsySetting,
  isProductionName,
  judgedCookies,
  renderSecureValue,
  secureAcrossEnvironments,
} from './cookie-facts.js';
import { cookieAttributeFix, siteFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'cookie-secure-env-dependent',
  title: 'Secure depends on the environment',
  description:
    'The code sets Secure only when an environment condition holds (NODE_ENV, DEBUG, an environment variable). Wherever ' +
    'the condition is false the cookie goes out without Secure, and such switches drift between environments. The ' +
    'finding names the condition and the value in each environment the collector could resolve.',
  defaultSeverity: 'medium',
  sources: ['code'],
  severityLogic:
    'medium for session/auth cookies, high when a production environment resolves to not Secure; lowered like ' +
    'cookie-missing-secure for other cookies; info in test code',
  references: [REF.spec, REF.userPains, REF.frameworkSettings],
};

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary } = judged[i]!;
      const p = c.secure.provenance;
      if (p.kind !== 'env-dependent') continue;
      if (primary !== null) continue;
      // Secure in no environment that resolved: cookie-missing-secure (none insecure either: cookie-config-unresolved).
      if (secureAcrossEnvironments(c.secure)?.outcome !== 'varies') continue;
      const envs = Object.keys(p.perEnvironment).sort();
      const perEnv = envs.map((e) => `${e}: ${renderSecureValue(p.perEnvironment[e])}`);
      const productionInsecure = envs.some((e) => isProductionName(e) && isFalsySetting(p.perEnvironment[e]));
      const base: Severity = productionInsecure ? 'high' : 'medium';
      const resolved =
        p.resolvedFrom && p.resolvedFrom.length > 0 ? `; resolved from ${p.resolvedFrom.join(', ')}` : '';
      const values = ` (${perEnv.join(', ')}${resolved})`;
      const message = `${describeCookie(c)} is Secure only when ${p.condition}${values}`;
      const fix =
        `Make Secure unconditional: ${cookieAttributeFix('secure', c)}. Use HTTPS in development too (\`cookieguard dev\` ` +
        'puts a local HTTPS proxy in front of the app) instead of turning Secure off; where the scheme really varies, ' +
        `prefer a setting that follows the request (e.g. express-session \`secure: 'auto'\`, Symfony \`cookie_secure: auto\`) ` +
        `with a trusted proxy: ${siteFix('trustProxy', c.framework ?? c.classification.framework)}`;
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity(base, c),
          message,
          browser: browser.secureEnvDependent(),
          fix,
          attr: c.secure,
        }),
      );
    }
    return out;
  },
};

export default rule;
