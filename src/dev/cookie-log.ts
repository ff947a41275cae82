/**
 * The live cookie log of `cookieguard dev`: every Set-Cookie the app sends through the proxy is
 * turned into a live observation (src/cookies/observe.ts, probe 'dev-proxy') and judged by the same
 * rules as `check` (runRules), then printed with its rule ids, what a browser will do and the fix
 * for the framework detected. Cookie values are never printed.
 *
 * On top of the rules, the proxy knows one thing `check` has to infer: it sent the app
 * `X-Forwarded-Proto: https`. So a session cookie set without Secure, by a framework whose Secure
 * flag can follow the request (src/dev/advice.ts), means the app does not trust the proxy (or has
 * Secure switched off): the response gets a ProxyTrustObservation 'insecure-despite-https' and the
 * rule session-trust-proxy-missing explains it with the framework's trust-proxy setting. A redirect
 * to `http://` on the proxy's own host, or to the very HTTPS URL requested (the loop of Django's
 * SECURE_SSL_REDIRECT and similar), shows the same thing for any framework.
 */
import type { Finding, Severity } from '../model/finding.js';
import type {
  CookieObservation,
  LiveDelivery,
  MalformedHeaderObservation,
  Observation,
  ProxyTrustObservation,
} from '../model/observation.js';
import { cookieObservationFromHeader, displaySafe } from '../cookies/observe.js';
import { classifyCookie } from '../cookies/classify.js';
import { runRules } from '../rules/index.js';
import { redactSetCookie } from '../cookies/redact.js';
import { cookieAttributeFix, siteFix } from '../rules/fixes.js';
import { frameworkForCookie, frameworkFromHeaders } from './framework.js';
import type { FrameworkGuess } from './framework.js';
import { devSnippet, secureSource, TRUST_WARNING } from './advice.js';
import { rawValues } from './forwarded.js';

/** What the proxy saw of one exchange. */
export interface ProxiedResponse {
  method: string;
  /** Origin the client used, e.g. `https://localhost:8443`. */
  origin: string;
  /** Path and query as requested. */
  path: string;
  status: number;
  /** Response header pairs as the app sent them. */
  headers: readonly string[];
  /** The proxy told the app `X-Forwarded-Proto: https`. */
  forwardedProto: boolean;
}

export interface TrustAdvice {
  /** The framework's trust-proxy setting (src/rules/fixes.ts). */
  fix: string;
  /** The same for an app behind `cookieguard dev` on this machine, when it differs. */
  devSnippet?: string;
  warning: string;
}

export interface JudgedCookie {
  /** Cookie name ('' for a nameless cookie, '(malformed)' for a header with no cookie in it). */
  name: string;
  /** The Set-Cookie header with its value redacted. */
  header: string;
  category: string;
  /** Why the cookie was judged a session / CSRF / ... cookie. */
  classification: string;
  framework?: FrameworkGuess;
  deletion: boolean;
  findings: Finding[];
  /** Set when the app did not see HTTPS behind the proxy (session-trust-proxy-missing). */
  trust?: TrustAdvice & {
    /** The fix when Secure is switched off in the configuration rather than following the request. */
    ifConfig: string;
  };
  /** Attributes that matter, for the "ok" line: `Secure; HttpOnly; SameSite=Lax`. */
  summary: string;
}

export interface TransportNote {
  kind: 'redirect-to-http' | 'redirect-to-self';
  message: string;
  framework?: FrameworkGuess;
  advice: TrustAdvice;
}

export interface JudgedResponse {
  cookies: JudgedCookie[];
  notes: TransportNote[];
}

function headerOf(headers: readonly string[], name: string): string | undefined {
  return rawValues(headers, name)[0];
}

function trustAdvice(framework: string | undefined): TrustAdvice {
  const snippet = devSnippet(framework);
  return {
    fix: siteFix('trustProxy', framework),
    ...(snippet !== undefined ? { devSnippet: snippet } : {}),
    warning: TRUST_WARNING,
  };
}

function summarize(c: CookieObservation): string {
  const parts: string[] = [];
  if (c.secure.value === true) parts.push('Secure');
  if (c.httpOnly.value === true) parts.push('HttpOnly');
  const ss = c.sameSite.raw ?? (c.sameSite.value !== 'unset' ? String(c.sameSite.value) : undefined);
  if (ss !== undefined) parts.push(`SameSite=${ss}`);
  if (c.domain && c.domain.value !== 'unknown') parts.push(`Domain=${c.domain.value}`);
  if (c.path && c.path.value !== 'unknown') parts.push(`Path=${c.path.value}`);
  if (c.lifetime.kind === 'persistent') parts.push(`lifetime ${c.lifetime.seconds}s`);
  return parts.length > 0 ? parts.join('; ') : 'no attributes';
}

/** `http://h:p/x` on the same host and port as `origin`, or the very URL requested. */
function transportNotes(r: ProxiedResponse, framework: FrameworkGuess | undefined): TransportNote[] {
  if (r.status < 300 || r.status > 399 || !r.forwardedProto) return [];
  const location = headerOf(r.headers, 'location');
  if (!location) return [];
  let requested: URL;
  let target: URL;
  try {
    requested = new URL(r.path, r.origin);
    target = new URL(location, requested);
  } catch {
    return [];
  }
  const advice = trustAdvice(framework?.framework);
  const shown = displaySafe(target.origin + target.pathname, 160);
  if (target.protocol === 'http:' && target.host === requested.host) {
    return [
      {
        kind: 'redirect-to-http',
        message:
          `The app redirected to ${shown} (plain HTTP) although the request came over HTTPS with ` +
          'X-Forwarded-Proto: https: it builds URLs from the scheme it sees, so it does not trust the proxy',
        ...(framework ? { framework } : {}),
        advice,
      },
    ];
  }
  if (target.href === requested.href) {
    return [
      {
        kind: 'redirect-to-self',
        message:
          `The app redirected ${displaySafe(requested.pathname, 120)} to the same HTTPS URL: it believes the request is ` +
          'plain HTTP and sends it to HTTPS forever (a redirect loop; Django SECURE_SSL_REDIRECT, force-HTTPS middleware)',
        ...(framework ? { framework } : {}),
        advice,
      },
    ];
  }
  return [];
}

/**
 * Judge the Set-Cookie headers of one response that passed through the proxy. Pure apart from the
 * clock used for Expires (`now`).
 */
export function judgeResponse(r: ProxiedResponse, now?: Date): JudgedResponse {
  const setCookies = rawValues(r.headers, 'set-cookie');
  const hints = { poweredBy: headerOf(r.headers, 'x-powered-by'), server: headerOf(r.headers, 'server') };
  const serverFw = frameworkFromHeaders(hints);
  let pathname = '/';
  try {
    pathname = new URL(r.path, r.origin).pathname;
  } catch {
    /* keep '/' */
  }
  // Without the query: it can hold tokens, and messages carry this URL.
  const url = r.origin + pathname;
  const delivery: LiveDelivery = {
    url,
    scheme: 'https',
    status: r.status,
    hop: 0,
    requestedUrl: url,
    redirect: r.status >= 300 && r.status < 400 && headerOf(r.headers, 'location') !== undefined,
    probe: 'dev-proxy',
  };
  const observations: Observation[] = [];
  const cookies: { obs: CookieObservation | MalformedHeaderObservation; framework?: FrameworkGuess }[] = [];
  let cookieFw: FrameworkGuess | undefined;
  for (const raw of setCookies) {
    const obs = cookieObservationFromHeader(raw, delivery, { source: 'live', ...(now ? { now } : {}) });
    let fw: FrameworkGuess | undefined;
    if (obs.kind === 'cookie') {
      fw = frameworkForCookie(obs.name, hints);
      if (fw && !obs.framework) {
        obs.framework = fw.framework;
        obs.classification = classifyCookie(obs.name, obs.value, {
          setBy: 'server',
          framework: fw.framework,
        });
      }
      cookieFw ??= fw;
      if (
        r.forwardedProto &&
        obs.classification.category === 'session' &&
        !obs.deletion &&
        obs.secure.value === false &&
        (obs.rejectedBy ?? []).length === 0 &&
        secureSource(fw?.framework) === 'request'
      ) {
        const pt: ProxyTrustObservation = {
          kind: 'proxy-trust',
          source: 'live',
          framework: fw?.framework ?? 'unknown',
          cookie: obs.name,
          situation: 'insecure-despite-https',
          url,
          evidence: redactSetCookie(`Set-Cookie: ${raw}`),
          proxyEvidence: 'cookieguard dev sent the request to the app with X-Forwarded-Proto: https',
        };
        observations.push(pt);
      }
    }
    observations.push(obs);
    cookies.push({ obs, ...(fw ? { framework: fw } : {}) });
  }
  const findings = setCookies.length > 0 ? runRules(observations) : [];
  const judged: JudgedCookie[] = [];
  const taken = new Set<Finding>();
  for (const { obs, framework } of cookies) {
    if (obs.kind !== 'cookie') {
      const mine = findings.filter(
        (f) => !taken.has(f) && f.cookie === null && f.rule === 'set-cookie-malformed',
      );
      mine.forEach((f) => taken.add(f));
      judged.push({
        name: '(malformed)',
        header: redactSetCookie(obs.raw),
        category: 'unknown',
        classification: obs.problem,
        deletion: false,
        findings: mine,
        summary: '',
      });
      continue;
    }
    const mine = findings.filter((f) => !taken.has(f) && f.cookie === obs.name);
    mine.forEach((f) => taken.add(f));
    const jc: JudgedCookie = {
      name: obs.name,
      header: redactSetCookie(obs.raw ?? ''),
      category: obs.classification.category,
      classification: obs.classification.reason,
      ...(framework ? { framework } : {}),
      deletion: obs.deletion,
      findings: mine,
      summary: summarize(obs),
    };
    if (mine.some((f) => f.rule === 'session-trust-proxy-missing')) {
      jc.trust = { ...trustAdvice(framework?.framework), ifConfig: cookieAttributeFix('secure', obs) };
    }
    judged.push(jc);
  }
  // Findings about no cookie in particular (none today for a single response): keep them visible.
  const rest = findings.filter((f) => !taken.has(f));
  if (rest.length > 0) {
    judged.push({
      name: '(response)',
      header: '',
      category: 'unknown',
      classification: '',
      deletion: false,
      findings: rest,
      summary: '',
    });
  }
  return { cookies: judged, notes: transportNotes(r, serverFw ?? cookieFw) };
}

// ---------------------------------------------------------------------------------------------
// Rendering

type Paint = (s: string) => string;

interface Palette {
  bold: Paint;
  dim: Paint;
  ok: Paint;
  severity: Record<Severity, Paint>;
}

function sgr(open: number, close: number): Paint {
  return (s) => `\u001b[${open}m${s}\u001b[${close}m`;
}

function palette(color: boolean): Palette {
  const plain: Paint = (s) => s;
  if (!color)
    return {
      bold: plain,
      dim: plain,
      ok: plain,
      severity: { high: plain, medium: plain, low: plain, info: plain },
    };
  const bold = sgr(1, 22);
  const red = sgr(31, 39);
  return {
    bold,
    dim: sgr(2, 22),
    ok: sgr(32, 39),
    severity: { high: (s) => bold(red(s)), medium: sgr(33, 39), low: sgr(36, 39), info: sgr(2, 22) },
  };
}

/** Control characters of hostile headers never reach the terminal. */
function safe(s: string): string {
  return displaySafe(s, 2000);
}

function clock(d: Date): string {
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function shownPath(path: string): string {
  const q = path.indexOf('?');
  const p = q === -1 ? path : path.slice(0, q) + '?…';
  return displaySafe(p, 120);
}

export interface CookieLogOptions {
  write(text: string): void;
  color?: boolean;
  /** Leave out cookies with no finding. */
  quiet?: boolean;
  now?: () => Date;
}

/**
 * Prints judged responses. A cookie judged the same way as before (same name, attributes and
 * findings) gets one short line instead of the whole explanation; so does a transport note.
 */
export class CookieLog {
  private readonly seen = new Set<string>();
  private readonly p: Palette;
  private readonly configNotes = new Set<string>();

  constructor(private readonly opts: CookieLogOptions) {
    this.p = palette(opts.color === true);
  }

  /** Judge and print one response; returns the judgement (tests and callers read it). */
  record(r: ProxiedResponse): JudgedResponse {
    const judged = judgeResponse(r, this.opts.now?.());
    const text = this.render(r, judged);
    if (text !== '') this.opts.write(text);
    return judged;
  }

  private remember(key: string): boolean {
    if (this.seen.has(key)) return true;
    if (this.seen.size > 5000) this.seen.clear();
    this.seen.add(key);
    return false;
  }

  render(r: ProxiedResponse, judged: JudgedResponse): string {
    const { p } = this;
    const lines: string[] = [];
    for (const c of judged.cookies) {
      const label = c.name === '' ? '(nameless)' : safe(c.name);
      if (c.deletion) {
        if (!this.opts.quiet) lines.push(`  ${p.bold(label)} ${p.dim('deleted (not judged)')}`);
        continue;
      }
      if (c.findings.length === 0) {
        // A cookie already shown as fine is not shown again (every page of a session app sets one).
        if (!this.opts.quiet && !this.remember(['ok', c.name, c.summary].join('\u0000'))) {
          lines.push(`  ${p.bold(label)} ${p.dim(`(${c.category})`)} ${p.ok('ok')}: ${safe(c.summary)}`);
        }
        continue;
      }
      const ids = c.findings.map((f) => `${f.rule} ${f.severity}`).join(', ');
      const key = ['cookie', c.name, c.summary, ids].join('\u0000');
      if (this.remember(key)) {
        lines.push(`  ${p.bold(label)} ${p.dim(`same as before: ${ids}`)}`);
        continue;
      }
      const fw = c.framework ? `, ${c.framework.framework} from ${safe(c.framework.from)}` : '';
      lines.push(`  ${p.bold(label)} ${p.dim(`(${c.category}${fw})`)} ${p.dim(safe(c.header))}`);
      if (c.classification && c.category !== 'unknown')
        lines.push(`    ${p.dim(`why ${c.category}: ${safe(c.classification)}`)}`);
      for (const f of c.findings) {
        const mark = f.severity === 'high' ? '✗' : f.severity === 'medium' ? '!' : '·';
        lines.push(`    ${p.severity[f.severity](`${mark} ${f.severity} ${f.rule}`)}: ${safe(f.message)}`);
        if (f.browser) lines.push(`      browser: ${safe(f.browser)}`);
        if (f.rule === 'session-trust-proxy-missing' && c.trust) {
          lines.push(`      fix: ${safe(c.trust.fix)}`);
          if (c.trust.devSnippet) lines.push(`      here: ${safe(c.trust.devSnippet)}`);
          lines.push(`      ${p.dim(safe(c.trust.warning))}`);
          lines.push(
            `      if Secure is switched off in the configuration instead: ${safe(c.trust.ifConfig)}`,
          );
        } else if (f.fix) {
          lines.push(`      fix: ${safe(f.fix)}`);
        }
      }
      // Frameworks whose Secure never follows the request: the fix above is the setting; say once
      // that the app still needs to see HTTPS for redirects and absolute URLs.
      const fwId = c.framework?.framework;
      if (
        fwId &&
        secureSource(fwId) === 'config' &&
        c.findings.some((f) => f.rule === 'cookie-missing-secure') &&
        !this.configNotes.has(fwId)
      ) {
        this.configNotes.add(fwId);
        lines.push(
          `    ${p.dim(`note: ${fwId} sets Secure from its configuration, not from the request; behind a proxy it still needs to see HTTPS for redirects and absolute URLs: ${safe(siteFix('trustProxy', fwId))}`)}`,
        );
      }
    }
    for (const n of judged.notes) {
      const key = ['note', n.kind, n.framework?.framework ?? ''].join('\u0000');
      if (this.remember(key)) {
        lines.push(`  ${p.severity.medium('! proxy-trust')} ${p.dim(`same as before: ${n.kind}`)}`);
        continue;
      }
      const fw = n.framework ? ` (${n.framework.framework} from ${safe(n.framework.from)})` : '';
      lines.push(`  ${p.severity.medium('! proxy-trust')}${fw}: ${safe(n.message)}`);
      lines.push(`      fix: ${safe(n.advice.fix)}`);
      if (n.advice.devSnippet) lines.push(`      here: ${safe(n.advice.devSnippet)}`);
      lines.push(`      ${p.dim(safe(n.advice.warning))}`);
    }
    if (lines.length === 0) return '';
    const now = this.opts.now?.() ?? new Date();
    const head = `${p.dim(clock(now))} ${safe(r.method)} ${shownPath(r.path)} → ${r.status}`;
    return [head, ...lines].join('\n') + '\n';
  }
}
