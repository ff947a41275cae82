/**
 * form-posts-over-http: a page (HTTPS or HTTP) with a form whose action is an http:// URL: the
 * fields (passwords included) and the target host's non-Secure cookies are sent unencrypted.
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMeta } from './types.js';
import { makeFinding } from './build.js';
import * as browser from './browser.js';
import { REF } from './references.js';

export const meta: RuleMeta = {
  id: 'form-posts-over-http',
  title: 'Form submits over plain HTTP',
  description:
    'A page with a form whose action is an http:// URL. Submitting it sends every field, passwords included, and the ' +
    'non-Secure cookies of the target host unencrypted.',
  defaultSeverity: 'medium',
  sources: ['crawl', 'browser'],
  severityLogic:
    'high when such a form has a password field, medium otherwise (one finding per page, listing the actions)',
  references: [REF.mixedContent, REF.spec],
};

export const rule: Rule = {
  meta,
  check(observations) {
    const out: Finding[] = [];
    for (let i = 0; i < observations.length; i++) {
      const o = observations[i]!;
      if (o.kind !== 'page' || o.insecureFormActions.length === 0) continue;
      const actions = [...new Set(o.insecureFormActions)].sort();
      const password = (o.insecureForms ?? []).filter((f) => f.hasPassword).map((f) => f.action);
      out.push(
        makeFinding({
          meta,
          observation: o,
          severity: password.length > 0 ? 'high' : 'medium',
          message: `A ${password.length > 0 ? 'login form (with a password field)' : 'form'} on ${o.url} submits to ${password[0] ?? actions[0]}${actions.length > 1 ? ` (and ${actions.length - 1} more http:// form action${actions.length > 2 ? 's' : ''})` : ''}`,
          browser: browser.formPostsOverHttp(),
          fix: 'Point the form action at an https:// URL (or a relative one), and redirect the http:// endpoint to HTTPS',
          evidence: actions.map((a) => `<form action="${a}">`).join('\n'),
          url: o.url,
        }),
      );
    }
    return out;
  },
};

export default rule;
