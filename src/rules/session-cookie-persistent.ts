/**
 * session-cookie-persistent: a session cookie with Expires or Max-Age: the browser keeps it on disk
 * across restarts (RFC 6265bis storage model: persistent-flag). Remember-me cookies are persistent
 * by design and are not reported.
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { cookieFinding } from './build.js';
import * as browser from './browser.js';
import { cookieSeverity, describeCookie, humanDuration, judgedCookies } from './cookie-facts.js';
import { cookieAttributeFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'session-cookie-persistent',
  title: 'Persistent session cookie',
  description:
    'A session cookie with Expires or Max-Age survives browser restarts: on a shared or lost computer the next person ' +
    'is still logged in until it expires. Remember-me cookies are persistent by design and are not reported.',
  defaultSeverity: 'low',
  sources: ['code', 'live', 'browser', 'har'],
  severityLogic: 'low for session cookies (the only ones judged); info in test code',
  references: [REF.storageModel, REF.owaspSession],
};

const REMEMBER = /remember/i;

export const rule: Rule = {
  meta,
  check(observations, ctx) {
    const out: Finding[] = [];
    const judged = judgedCookies(observations, ctx);
    for (let i = 0; i < judged.length; i++) {
      const { cookie: c, primary, superseded } = judged[i]!;
      // Overwritten later in the same chain: the browser keeps the later cookie, judged there.
      if (superseded) continue;
      if (c.classification.category !== 'session' || REMEMBER.test(c.name) || c.classification.rememberMe)
        continue;
      if (c.lifetime.kind !== 'persistent' || c.lifetime.seconds <= 0) continue;
      if (primary !== null) continue;
      const capped = c.lifetime.capped ? ', capped at 400 days by browsers' : '';
      const where = c.delivery ? ` (set by ${c.delivery.url})` : '';
      out.push(
        cookieFinding({
          meta,
          cookie: c,
          severity: cookieSeverity('low', c),
          message: `${describeCookie(c)} is persistent (expires after ${humanDuration(c.lifetime.seconds)}${capped}): it survives browser restarts${where}`,
          browser: browser.sessionPersistent(),
          fix: `${cookieAttributeFix('lifetime', c)}; keep a long-lived login in a separate remember-me cookie with its own rotating token`,
          // located at the code that sets the lifetime (maxAge, expires) when the collector knows it
          ...(c.lifetime.location
            ? {
                attr: {
                  value: c.lifetime.seconds,
                  provenance: { kind: 'explicit' as const },
                  location: c.lifetime.location,
                  ...(c.lifetime.evidence !== undefined
                    ? { evidence: c.lifetime.evidence, snippet: c.lifetime.evidence }
                    : {}),
                },
              }
            : {}),
        }),
      );
    }
    return out;
  },
};

export default rule;
