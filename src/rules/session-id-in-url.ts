/**
 * session-id-in-url: a session identifier in a URL (query parameter, `;jsessionid=` path
 * parameter, a redirect Location, a link), or configuration that makes the framework accept it from
 * URLs (PHP `session.use_only_cookies = 0`; php-src applies trans-sid only when use_trans_sid is on
 * and use_only_cookies is off). The identifier's value is redacted in the evidence.
 */
import type { Finding, Severity } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { makeFinding } from './build.js';
import * as browser from './browser.js';
import { redactSessionIdInUrl } from '../cookies/redact.js';
import { siteFix } from './fixes.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'session-id-in-url',
  title: 'Session identifier in a URL',
  description:
    'A session identifier carried in a URL (PHPSESSID=..., ;jsessionid=...), in a redirect or a link, or configuration ' +
    'that makes the framework accept it from URLs. URLs end up in history, logs and Referer headers, and an id accepted ' +
    'from a URL allows session fixation.',
  defaultSeverity: 'high',
  sources: ['code', 'live', 'crawl', 'har'],
  severityLogic:
    'high when an identifier was seen in a URL (live, crawl, har); medium for configuration that allows it (code); ' +
    'info in test code',
  references: [REF.owaspSession, REF.spec, REF.frameworkSettings],
};

export const rule: Rule = {
  meta,
  check(observations) {
    const out: Finding[] = [];
    for (let i = 0; i < observations.length; i++) {
      const o = observations[i]!;
      if (o.kind !== 'session-id-in-url') continue;
      const rawText = o.evidence ?? o.url;
      const evidence = redactSessionIdInUrl(rawText, o.parameter, o.value);
      const shownUrl = redactSessionIdInUrl(o.url, o.parameter, o.value);
      let message: string;
      let severity: Severity = 'high';
      switch (o.where) {
        case 'config':
          severity = 'medium';
          message = `${o.framework ?? 'The application'} is configured to accept the session identifier ${o.parameter} from URLs${o.evidence ? `: \`${evidence}\`` : ''}`;
          break;
        case 'location':
          message = `The redirect from ${shownUrl} puts the session identifier ${o.parameter} in its Location URL`;
          break;
        case 'link':
          message = `A link on ${shownUrl} carries the session identifier ${o.parameter}`;
          break;
        default:
          message = `The URL ${shownUrl} carries the session identifier ${o.parameter}`;
      }
      out.push(
        makeFinding({
          meta,
          observation: o,
          severity,
          message,
          browser: browser.sessionIdInUrl(),
          fix: siteFix('sessionIdInUrl', o.framework),
          evidence,
          rawEvidence: rawText,
          cookie: o.parameter,
          location: o.location ?? null,
          url: o.where === 'config' ? null : shownUrl,
          framework: o.framework ?? null,
          dedupeKey: [
            o.source,
            o.parameter,
            o.where,
            o.where === 'config' ? '' : shownUrl,
            o.location ? `${o.location.file}:${o.location.line}` : '',
          ].join('\u0000'),
        }),
      );
    }
    return out;
  },
};

export default rule;
