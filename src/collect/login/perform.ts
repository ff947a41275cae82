/**
 * The HTTP login of `check --login URL --login-field NAME=VALUE ...`:
 *
 * 1. GET the login page (redirects followed with the login's cookie jar);
 * 2. find the form that holds every named field (src/collect/html/extract.ts, parse5) and build what
 *    a browser submits: the user's values in the named fields, the page's own values in the others
 *    (hidden CSRF tokens), the submit button a click adds;
 * 3. refuse to send credentials anywhere but HTTPS (an http:// action, a GET form that would put
 *    them in a URL, a 307/308 redirect of the POST to http://);
 * 4. POST it with the Origin and Referer a browser sends (Django's and Flask-WTF's CSRF checks
 *    compare them on HTTPS), follow the redirects, and decide whether the login worked: a 4xx/5xx
 *    answer or the login form coming back is a failure.
 *
 * The jar's cookies are sent over HTTPS only. Field values never appear in an error message, an
 * outcome or an observation: only field names do.
 */
import { extractPage, findFormWithFields, formSubmission, type HtmlForm } from '../html/extract.js';
import { parseSetCookie } from '../../cookies/setcookie.js';
import { ChainJar } from '../live/chain.js';
import { headerValues, LiveRequestError, type LiveClient } from '../live/client.js';
import { isTlsVerifyCode } from '../live/errors.js';
import type { UserCookie } from '../live/options.js';
import { redactSessionIdsInUrl } from '../live/session-id.js';
import type { JarCookie, LoginOutcome, LoginResponse } from './types.js';

/** Statuses a browser follows with the Location header (RFC 9110 §15.4). */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface LoginSpec {
  client: LiveClient;
  loginUrl: URL;
  /** The user's fields, in the order given (values are credentials: never printed). */
  fields: [string, string][];
  /** Sent with every request (User-Agent, Accept). */
  baseHeaders: Record<string, string>;
  /** --cookie / --header: sent over HTTPS to the login page's host only. */
  userCookies: UserCookie[];
  userHeaders: Record<string, string>;
  maxRedirects: number;
  maxSetCookies: number;
}

export interface PerformedLogin {
  outcome: LoginOutcome;
  /** The jar after the login: the session the URLs are checked with. */
  session: ChainJar;
}

/** The jar's cookies by name, domain and path, with their values (what a browser holds). */
class Snapshot {
  private readonly cookies = new Map<string, JarCookie>();
  set(c: JarCookie): void {
    this.cookies.set(`${c.name}\u0000${c.domain}\u0000${c.path}`, c);
  }
  delete(c: Omit<JarCookie, 'value'>): void {
    this.cookies.delete(`${c.name}\u0000${c.domain}\u0000${c.path}`);
  }
  list(): JarCookie[] {
    return [...this.cookies.values()].map((c) => ({ ...c }));
  }
}

function decodeHtml(body: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(body);
}

/** `multipart/form-data` body of `pairs` (HTML's encoding of names: `"` CR LF percent-encoded). */
function multipart(pairs: [string, string][]): { body: string; type: string } {
  const boundary = `----cookieguard${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
  const esc = (s: string) => s.replaceAll('"', '%22').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
  let body = '';
  for (const [n, v] of pairs)
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${esc(n)}"\r\n\r\n${v}\r\n`;
  body += `--${boundary}--\r\n`;
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

export async function performLogin(spec: LoginSpec): Promise<PerformedLogin> {
  const jar = new ChainJar();
  const snapshot = new Snapshot();
  const names = spec.fields.map(([n]) => n);
  const outcome: LoginOutcome = {
    loginUrl: spec.loginUrl.href,
    pageUrl: null,
    action: null,
    method: null,
    fieldNames: names,
    submittedFields: [],
    before: [],
    after: [],
    responses: [],
    finalUrl: null,
    ok: false,
  };
  const fail = (why: string): PerformedLogin => {
    outcome.failure = why;
    outcome.after = snapshot.list();
    return { outcome, session: jar };
  };
  const loginHost = spec.loginUrl.hostname;

  const headersFor = (url: URL, extra: Record<string, string>): Record<string, string> => {
    const headers: Record<string, string> = { ...spec.baseHeaders };
    const https = url.protocol === 'https:';
    const user = https && url.hostname === loginHost;
    if (user) Object.assign(headers, spec.userHeaders);
    const parts: string[] = [];
    const seen = new Set<string>();
    if (https) {
      for (const c of jar.cookiesFor(url)) {
        parts.push(c.pair);
        seen.add(c.name);
      }
    }
    if (user) for (const c of spec.userCookies) if (!seen.has(c.name)) parts.push(`${c.name}=${c.value}`);
    if (parts.length > 0) headers.cookie = parts.join('; ');
    return { ...headers, ...extra };
  };

  /** One request; its Set-Cookie headers go into the jar. Null (and `failure` set) when no response came. */
  const request = async (
    phase: LoginResponse['phase'],
    url: URL,
    method: 'GET' | 'POST',
    extra: Record<string, string> = {},
    body?: string,
  ): Promise<{ status: number; next: URL | null; html: string } | string> => {
    let res;
    try {
      res = await spec.client.send(url, method, headersFor(url, extra), body);
    } catch (err) {
      const e =
        err instanceof LiveRequestError ? err : new LiveRequestError(String(err), undefined, url.href);
      const hint = isTlsVerifyCode(e.code)
        ? '; trust its CA with --ca FILE, or continue anyway with --insecure'
        : '';
      return `${method} ${redactSessionIdsInUrl(url.href)}: ${e.message}${hint}`;
    }
    const receivedAt = Date.now();
    const all = headerValues(res.headers, 'set-cookie');
    const setCookies = all.slice(0, spec.maxSetCookies);
    for (const raw of setCookies) {
      const p = parseSetCookie(raw, url, new Date(receivedAt));
      if (p.ignoredEntirely || p.effectiveDomain === undefined || p.rejectedBy.length > 0) continue;
      jar.add(p, receivedAt);
      const key = { name: p.name, domain: p.effectiveDomain.toLowerCase(), path: p.effectivePath };
      if (p.deletion) snapshot.delete(key);
      else snapshot.set({ ...key, value: p.value });
    }
    const location = headerValues(res.headers, 'location')[0];
    let next: URL | null = null;
    if (location !== undefined && REDIRECTS.has(res.status)) {
      try {
        next = new URL(location, url);
        next.hash = '';
      } catch {
        next = null;
      }
      if (next && next.protocol !== 'https:' && next.protocol !== 'http:') next = null;
    }
    outcome.responses.push({
      phase,
      method,
      url: url.href,
      status: res.status,
      setCookies,
      redirect: next !== null,
      receivedAt,
    });
    outcome.finalUrl = url.href;
    return { status: res.status, next, html: decodeHtml(res.body) };
  };

  // 1. The login page.
  let url = spec.loginUrl;
  let page: { status: number; next: URL | null; html: string };
  for (let hop = 0; ; hop++) {
    const r = await request('page', url, 'GET');
    if (typeof r === 'string') return fail(`cannot fetch the login page: ${r}`);
    if (!r.next) {
      page = r;
      break;
    }
    if (hop + 1 > spec.maxRedirects)
      return fail(`the login page ${spec.loginUrl.href} redirects more than ${spec.maxRedirects} times`);
    url = r.next;
  }
  const pageUrl = url;
  outcome.pageUrl = pageUrl.href;
  if (page.status >= 400)
    return fail(`the login page ${redactSessionIdsInUrl(pageUrl.href)} answered HTTP ${page.status}`);

  // 2. The form.
  const forms = extractPage(page.html, pageUrl.href).forms;
  const form = findFormWithFields(forms, names);
  if (!form) {
    const seen = [...new Set(forms.flatMap((f) => f.fields.map((x) => x.name)))];
    return fail(
      `no form on ${redactSessionIdsInUrl(pageUrl.href)} holds the field${names.length > 1 ? 's' : ''} ${names.join(', ')}` +
        (forms.length === 0
          ? ' (the page has no form)'
          : ` (its form fields: ${seen.slice(0, 12).join(', ') || 'none'})`),
    );
  }
  const action = new URL(form.action);
  outcome.action = action.href;
  outcome.method = form.method;
  const refused = loginFormRefusal(form, action, pageUrl);
  if (refused) {
    if (refused.insecureForm) outcome.insecureForm = refused.insecureForm;
    return fail(refused.failure);
  }
  const values: Record<string, string> = Object.fromEntries(spec.fields);
  const pairs = formSubmission(form, values);
  outcome.submittedFields = pairs.map(([n]) => n);
  const encoded =
    form.enctype === 'multipart/form-data'
      ? multipart(pairs)
      : {
          body: new URLSearchParams(pairs).toString(),
          type: 'application/x-www-form-urlencoded',
        };
  outcome.before = snapshot.list();

  // 3. The submission and its redirects.
  const browserHeaders = {
    origin: pageUrl.origin,
    referer: pageUrl.href,
  };
  url = action;
  let method: 'GET' | 'POST' = 'POST';
  let last: { status: number; next: URL | null; html: string };
  for (let hop = 0; ; hop++) {
    const post = method === 'POST';
    const r = await request(
      'submit',
      url,
      method,
      post
        ? { ...browserHeaders, 'content-type': encoded.type }
        : // No Referer from an https:// page to http:// (a downgrade: Referrer Policy's default,
          // strict-origin-when-cross-origin, sends none).
          pageUrl.protocol === 'https:' && url.protocol === 'http:'
          ? {}
          : { referer: pageUrl.href },
      post ? encoded.body : undefined,
    );
    if (typeof r === 'string') return fail(`login failed: ${r}`);
    last = r;
    if (!r.next) break;
    if (hop + 1 > spec.maxRedirects)
      return fail(`login failed: more than ${spec.maxRedirects} redirects after the form was submitted`);
    // 307 and 308 repeat the POST (RFC 9110 §15.4.8, §15.4.9); the others become a GET.
    if (post && (r.status === 307 || r.status === 308)) {
      if (r.next.protocol !== 'https:')
        return fail(
          `login failed: the login POST was redirected (${r.status}) to ${redactSessionIdsInUrl(r.next.href)}; credentials are sent only over HTTPS, so it was not repeated there`,
        );
    } else method = 'GET';
    url = r.next;
  }
  outcome.after = snapshot.list();
  const where = redactSessionIdsInUrl(url.href);
  if (last.status >= 400) return fail(`login failed: ${where} answered HTTP ${last.status} to the login`);
  const back = findFormWithFields(extractPage(last.html, url.href).forms, names);
  if (back) {
    outcome.failure = `login failed: the login form came back at ${where} (wrong credentials, or a check of the form the login did not pass)`;
    return { outcome, session: jar };
  }
  outcome.ok = true;
  return { outcome, session: jar };
}

/**
 * Why the login form must not be submitted with credentials, or null: an action that is not
 * https:// (the form is also returned as `insecureForm`, its URLs' session ids redacted, when it
 * submits to http://, for form-posts-over-http), or a method other than POST (the credentials
 * would go into the URL). Shared with the browser login, which judges the form of the rendered
 * DOM.
 */
export function loginFormRefusal(
  form: HtmlForm,
  action: URL,
  pageUrl: URL,
): { failure: string; insecureForm?: NonNullable<LoginOutcome['insecureForm']> } | null {
  const page = redactSessionIdsInUrl(pageUrl.href);
  if (action.protocol !== 'https:')
    return {
      failure: `the login form on ${page} submits to ${redactSessionIdsInUrl(action.href)}: credentials are sent only over HTTPS, never over plain HTTP, so it was not submitted (reported as form-posts-over-http)`,
      ...(action.protocol === 'http:'
        ? {
            insecureForm: {
              pageUrl: page,
              action: redactSessionIdsInUrl(action.href),
              method: form.method,
              hasPassword: form.hasPassword,
            },
          }
        : {}),
    };
  if (form.method !== 'post')
    return {
      failure: `the login form on ${page} submits with method ${form.method.toUpperCase()}: the credentials would go into the URL, so it was not submitted`,
    };
  return null;
}
