/**
 * What Chromium showed while loading one page (gathered by run.ts from the DevTools protocol and an
 * init script), and the observations made of it. Pure: no browser here, so every mapping is tested
 * on hand-written records as well as on real Chromium.
 *
 * Protocol facts used (Chromium's browser_protocol.pdl, checked against Chromium 156 on loopback):
 * - Network.responseReceivedExtraInfo: the raw `set-cookie` header (lines joined by "\n") and
 *   `blockedCookies[]` ({ blockedReasons: SetCookieBlockedReason[], cookieLine }).
 * - Audits.issueAdded, code CookieIssue: `cookieExclusionReasons` (ExcludeSameSiteNoneInsecure ...)
 *   also for cookies written by scripts (no `request` then). Chromium raises no issue for a
 *   document.cookie write dropped for its prefix: such a write is found missing from the jar.
 * - Audits.issueAdded, code MixedContentIssue: `insecureURL`, `resourceType`, `resolutionStatus`
 *   (MixedContentBlocked / AutomaticallyUpgraded / Warning), `request.requestId`.
 * - Network.requestWillBeSent: `initiator.type` (parser, script, preload, other ...) with the
 *   script's URL in `initiator.stack.callFrames`, `documentURL`, `type`.
 */
import type { ReportError } from '../../model/finding.js';
import type {
  CookieObservation,
  LiveDelivery,
  Observation,
  PageObservation,
  RejectionReason,
} from '../../model/observation.js';
import { classifyCookie } from '../../cookies/classify.js';
import { cookieObservationFromHeader } from '../../cookies/observe.js';
import { extractPage } from '../html/extract.js';
import { redactSessionIdsInUrl } from '../live/session-id.js';

export interface RecordedResponse {
  requestId: string;
  url: string;
  status: number;
  /** A document of the page's main frame (the page itself and its redirects). */
  mainDocument: boolean;
  setCookies: string[];
  blocked: { line: string; reasons: string[] }[];
}

export interface RecordedRequest {
  url: string;
  /** Resource type (Document, Script, Image, Fetch, XHR ...). */
  type: string;
  /** The document that made the request. */
  documentUrl: string;
  /** `parser`, or `script <url>:<line>`, `preload` ... */
  initiator: string;
  /** Chromium's mixed-content classification: blockable, optionally-blockable, none. */
  mixedContentType?: string;
}

export interface RecordedMixedContent {
  url: string;
  resourceType: string;
  resolution: string;
  /** The HTTPS document that asked for it. */
  mainResourceUrl: string;
  requestId?: string;
}

export interface RecordedCookieWrite {
  /** What the script assigned to document.cookie. */
  text: string;
  /** The document's URL at the time. */
  url: string;
  /** Initiator of the write (script URL) when the stack told it. */
  initiator?: string;
}

export interface RecordedCookieIssue {
  name: string;
  reasons: string[];
  /** Set for a cookie of a response; absent for a script's write. */
  requestUrl?: string;
}

export interface PageRecord {
  requestedUrl: string;
  finalUrl: string;
  status: number | null;
  /** The rendered DOM (serialised), or null when the page did not load. */
  html: string | null;
  responses: RecordedResponse[];
  requests: Map<string, RecordedRequest>;
  mixedContent: RecordedMixedContent[];
  cookieWrites: RecordedCookieWrite[];
  cookieIssues: RecordedCookieIssue[];
  /** Name + value of every cookie in Chromium's jar after the page settled (null: unknown). */
  jarAfter: Set<string> | null;
  errors: ReportError[];
}

export interface ObserveOptions {
  /**
   * Report cookies the main document's responses set and Chromium stored: false when the live
   * collector already reports those responses (plain `check --browser`), true when the browser is
   * the page loader (e.g. a crawl through the browser).
   */
  documentCookies: boolean;
}

/** SetCookieBlockedReason / CookieExclusionReason names that are one of our RejectionReasons. */
const AS_REJECTION: Record<string, RejectionReason> = {
  SecureOnly: 'SecureOnly',
  SameSiteNoneInsecure: 'SameSiteNoneInsecure',
  ExcludeSameSiteNoneInsecure: 'SameSiteNoneInsecure',
  InvalidPrefix: 'InvalidPrefix',
  InvalidDomain: 'InvalidDomain',
  NameValuePairExceedsMaxSize: 'NameValuePairExceedsMaxSize',
  DisallowedCharacter: 'DisallowedCharacter',
  OverwriteSecure: 'OverwriteSecure',
  SyntaxError: 'SyntaxError',
};

function schemeOf(url: string): 'https' | 'http' {
  return url.startsWith('https:') ? 'https' : 'http';
}

/**
 * Options for cookieObservationFromHeader of a cookie delivered at `url`, shown as `shown` (its
 * session ids redacted): the cookie's defaults (Path) still come from the URL as it was requested.
 */
function parseOpts(url: string, shown: string): { source: 'browser'; requestUrl?: URL } {
  if (shown === url) return { source: 'browser' };
  try {
    return { source: 'browser', requestUrl: new URL(url) };
  } catch {
    return { source: 'browser' };
  }
}

function withRejections(c: CookieObservation, chromium: readonly string[]): CookieObservation['rejectedBy'] {
  const out = new Set<RejectionReason>(c.rejectedBy ?? []);
  let unmapped = chromium.length === 0;
  for (const r of chromium) {
    const mapped = AS_REJECTION[r];
    if (mapped) out.add(mapped);
    else unmapped = true;
  }
  // A reason none of ours names (or a script's write that simply is not in the jar): Chromium's
  // word is the rejection (cookie-blocked-by-browser reports it when nothing else explains it).
  if (unmapped && out.size === 0) out.add('BlockedByBrowser');
  return out.size > 0 ? [...out] : undefined;
}

/** The name and value of a cookie line (the part before the first `;`), as browsers split it. */
export function nameValueOf(line: string): { name: string; value: string } {
  const pair = line.split(';', 1)[0] ?? '';
  const eq = pair.indexOf('=');
  if (eq < 0) return { name: '', value: pair.trim() };
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
}

function serverCookie(
  line: string,
  resp: RecordedResponse,
  requestedUrl: string,
  blockedReasons: string[] | null,
): CookieObservation | null {
  const shown = redactSessionIdsInUrl(resp.url);
  const delivery: LiveDelivery = {
    url: shown,
    scheme: schemeOf(resp.url),
    status: resp.status,
    hop: 0,
    requestedUrl,
    redirect: resp.status >= 300 && resp.status < 400,
    probe: resp.mainDocument ? 'browser' : 'browser-subresource',
  };
  const o = cookieObservationFromHeader(line, delivery, parseOpts(resp.url, shown));
  if (o.kind !== 'cookie') return null;
  if (blockedReasons === null) return o;
  const rejectedBy = withRejections(o, blockedReasons);
  return {
    ...o,
    ...(rejectedBy ? { rejectedBy } : {}),
    blockedByBrowser: { browser: 'chromium', reasons: blockedReasons, how: 'protocol' },
  };
}

function scriptCookie(
  w: RecordedCookieWrite,
  requestedUrl: string,
  blocked: { reasons: string[]; how: 'protocol' | 'not-stored' } | null,
): CookieObservation | null {
  const shown = redactSessionIdsInUrl(w.url);
  const delivery: LiveDelivery = {
    url: shown,
    scheme: schemeOf(w.url),
    status: 200,
    hop: 0,
    requestedUrl,
    redirect: false,
    probe: 'document.cookie',
  };
  const o = cookieObservationFromHeader(w.text, delivery, parseOpts(w.url, shown));
  if (o.kind !== 'cookie') return null;
  const out: CookieObservation = {
    ...o,
    setBy: 'script',
    // A script's cookie is classified as one (it can never be HttpOnly).
    classification: classifyCookie(o.name, o.value ?? '', { setBy: 'script' }),
  };
  if (blocked) {
    const rejectedBy = withRejections(o, blocked.reasons);
    if (rejectedBy) out.rejectedBy = rejectedBy;
    out.blockedByBrowser = { browser: 'chromium', reasons: blocked.reasons, how: blocked.how };
  }
  return out;
}

/** Resource types whose mixed content is upgraded or shown with a warning, not blocked (passive). */
const PASSIVE_TYPES = new Set(['image', 'media', 'audio', 'video', 'track', 'picture']);

function subresourceType(resourceType: string): string {
  const t = resourceType.toLowerCase();
  return t === 'image' ? 'img' : t === 'xhr' ? 'xhr' : t;
}

export interface PageResult {
  observations: Observation[];
  /** Links of the rendered page (any origin, absolute, document order). */
  links: string[];
}

/**
 * The observations of one page loaded in Chromium. Every URL Chromium reported goes into them with
 * the values of the session ids it carries redacted (a script's `fetch('/api?PHPSESSID=...')` is
 * named by no cookie or session-id observation, so the report's scrubbing would not catch it).
 */
export function pageObservations(rec: PageRecord, opts: ObserveOptions): PageResult {
  const observations: Observation[] = [];
  const requestedUrl = redactSessionIdsInUrl(rec.requestedUrl);
  const seenCookie = new Set<string>();
  const key = (c: CookieObservation, how: string): string =>
    `${how}\u0000${c.delivery?.url ?? ''}\u0000${c.raw ?? c.name}`;

  // 1. Set-Cookie headers of every response the page made (blocked ones with Chromium's reasons).
  for (const resp of rec.responses) {
    const blockedLines = new Map<string, string[]>();
    for (const b of resp.blocked) blockedLines.set(b.line, b.reasons);
    for (const line of resp.setCookies) {
      const reasons = blockedLines.get(line) ?? null;
      if (reasons === null && resp.mainDocument && !opts.documentCookies) continue;
      const c = serverCookie(line, resp, requestedUrl, reasons);
      if (!c) continue;
      const k = key(c, 'server');
      if (seenCookie.has(k)) continue;
      seenCookie.add(k);
      observations.push(c);
    }
  }

  // 2. document.cookie writes: the last write of each name is checked against the jar.
  const lastWriteOf = new Map<string, number>();
  rec.cookieWrites.forEach((w, i) => lastWriteOf.set(nameValueOf(w.text).name, i));
  const scriptIssues = new Map<string, string[]>();
  for (const issue of rec.cookieIssues)
    if (issue.requestUrl === undefined && issue.reasons.length > 0)
      scriptIssues.set(issue.name, issue.reasons);
  rec.cookieWrites.forEach((w, i) => {
    const { name, value } = nameValueOf(w.text);
    let blocked: { reasons: string[]; how: 'protocol' | 'not-stored' } | null = null;
    const protocolReasons = scriptIssues.get(name);
    if (protocolReasons) blocked = { reasons: protocolReasons, how: 'protocol' };
    else if (lastWriteOf.get(name) === i && rec.jarAfter !== null && !rec.jarAfter.has(`${name}=${value}`))
      blocked = { reasons: [], how: 'not-stored' };
    const c = scriptCookie(w, requestedUrl, blocked);
    if (!c || c.deletion) return;
    const k = key(c, 'script');
    if (seenCookie.has(k)) return;
    seenCookie.add(k);
    observations.push(c);
  });

  // 3. Mixed content the page really requested (its own documents are https:, requests http:).
  const page: PageObservation = {
    kind: 'page',
    source: 'browser',
    url: redactSessionIdsInUrl(rec.finalUrl),
    insecureSubresources: [],
    insecureFormActions: [],
  };
  const seenSub = new Set<string>();
  const addSub = (
    url: string,
    resourceType: string,
    active: boolean,
    initiator: string | undefined,
  ): void => {
    const type = subresourceType(resourceType);
    const shown = redactSessionIdsInUrl(url);
    const k = `${shown}\u0000${type}`;
    if (seenSub.has(k)) return;
    seenSub.add(k);
    page.insecureSubresources.push({ url: shown, type, active, ...(initiator ? { initiator } : {}) });
  };
  for (const m of rec.mixedContent) {
    if (m.resourceType === 'Form') continue; // forms are read from the DOM below
    const req = m.requestId ? rec.requests.get(m.requestId) : undefined;
    const active = m.resolution === 'MixedContentBlocked' || !PASSIVE_TYPES.has(m.resourceType.toLowerCase());
    addSub(m.url, m.resourceType, active, req?.initiator);
  }
  // Requests Chromium did not classify as mixed content (http://localhost and 127.0.0.1 are
  // "potentially trustworthy" to it) still crossed the network over plain HTTP.
  for (const req of rec.requests.values()) {
    if (!req.url.startsWith('http:') || !req.documentUrl.startsWith('https:') || req.type === 'Document')
      continue;
    const active =
      req.mixedContentType === 'blockable'
        ? true
        : req.mixedContentType === 'optionally-blockable'
          ? false
          : !PASSIVE_TYPES.has(req.type.toLowerCase());
    addSub(req.url, req.type, active, req.initiator);
  }

  // 4. Forms of the rendered DOM (scripts may have added or changed them) and its links.
  let links: string[] = [];
  if (rec.html !== null) {
    const extracted = extractPage(rec.html, rec.finalUrl);
    links = extracted.links;
    for (const f of extracted.forms) {
      if (!f.action.startsWith('http:')) continue;
      const action = redactSessionIdsInUrl(f.action);
      page.insecureFormActions.push(action);
      (page.insecureForms ??= []).push({ action, method: f.method, hasPassword: f.hasPassword });
    }
  }
  if (page.insecureSubresources.length > 0 || page.insecureFormActions.length > 0) observations.push(page);
  return { observations, links };
}
