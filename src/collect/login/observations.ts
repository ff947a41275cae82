/**
 * loginObservations(): any login's outcome (HTTP or browser) as observations, judged by the same
 * rules as everything else:
 *
 * - every Set-Cookie received during the login becomes a cookie observation delivered by the
 *   `login` probe (its URL is the response's, the login page's URL names the visit), so that
 *   cookie-missing-secure and the others judge the cookies a login sets;
 * - a login form that submits to http:// becomes a page observation (form-posts-over-http);
 * - a login that worked becomes a LoginObservation comparing the jar's cookies before the form was
 *   submitted and after the login (session-not-renewed-on-login). Values are compared here and
 *   left out of it.
 */
import { classifyCookie } from '../../cookies/classify.js';
import { cookieObservationFromHeader } from '../../cookies/observe.js';
import type {
  LoginCookieComparison,
  LoginObservation,
  Observation,
  PageObservation,
} from '../../model/observation.js';
import { redactSessionIdsInUrl } from '../live/session-id.js';
import type { JarCookie, LoginOutcome } from './types.js';

const SERVER = Object.freeze({ setBy: 'server' as const });

const keyOf = (c: JarCookie): string => `${c.name}\u0000${c.domain}\u0000${c.path}`;

/** The login request as evidence: method, URL and the names of the fields sent (never a value). */
export function loginRequestEvidence(outcome: LoginOutcome): string {
  const fields = outcome.submittedFields.length > 0 ? outcome.submittedFields : outcome.fieldNames;
  return `${(outcome.method ?? 'post').toUpperCase()} ${redactSessionIdsInUrl(outcome.action ?? outcome.loginUrl)} (form fields: ${fields.join(', ')}; values not shown)`;
}

export function loginObservations(outcome: LoginOutcome): Observation[] {
  const out: Observation[] = [];
  outcome.responses.forEach((r, hop) => {
    if (r.setCookies.length === 0) return;
    let url: URL;
    try {
      url = new URL(r.url);
    } catch {
      return;
    }
    const now = new Date(r.receivedAt);
    for (const raw of r.setCookies) {
      out.push(
        cookieObservationFromHeader(
          raw,
          {
            url: r.url,
            scheme: url.protocol === 'https:' ? 'https' : 'http',
            status: r.status,
            hop,
            requestedUrl: outcome.loginUrl,
            redirect: r.redirect,
            probe: 'login',
          },
          { source: 'live', requestUrl: url, now },
        ),
      );
    }
  });
  if (outcome.insecureForm) {
    const f = outcome.insecureForm;
    const page: PageObservation = {
      kind: 'page',
      source: 'live',
      url: f.pageUrl,
      insecureSubresources: [],
      insecureFormActions: [f.action],
      insecureForms: [{ action: f.action, method: f.method, hasPassword: f.hasPassword }],
    };
    out.push(page);
  }
  if (outcome.ok && outcome.action !== null) {
    const before = new Map(outcome.before.map((c) => [keyOf(c), c]));
    const after = new Map(outcome.after.map((c) => [keyOf(c), c]));
    const cookies: LoginCookieComparison[] = [];
    for (const k of new Set([...before.keys(), ...after.keys()])) {
      const b = before.get(k);
      const a = after.get(k);
      const c = (a ?? b)!;
      cookies.push({
        name: c.name,
        domain: c.domain,
        path: c.path,
        before: b !== undefined,
        after: a !== undefined,
        sameValue: a !== undefined && b !== undefined && a.value === b.value,
        classification: { ...classifyCookie(c.name, c.value, SERVER) },
      });
    }
    const login: LoginObservation = {
      kind: 'login',
      source: 'live',
      url: outcome.pageUrl ?? outcome.loginUrl,
      action: outcome.action,
      evidence: loginRequestEvidence(outcome),
      cookies,
    };
    out.push(login);
  }
  return out;
}
