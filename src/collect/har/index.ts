/**
 * The HAR collector of `cookieguard har FILE...`: recorded browser traffic (HAR 1.2 from Chrome
 * DevTools, Firefox DevTools and Playwright's recordHar) turned into the observations the live
 * collector makes, so the same rules judge them:
 *
 * - every response's Set-Cookie headers (from `response.headers`; when an exporter left the header
 *   out but kept `response.cookies`, a header rebuilt from that list, marked as such) as cookie
 *   observations delivered by the entry's URL, judged at the entry's time (`startedDateTime`);
 * - session identifiers in request URLs and in redirect targets;
 * - HSTS of every HTTPS host that served a page (a main-frame document): the first
 *   Strict-Transport-Security header that host sent over HTTPS, or its absence;
 * - mixed content: the entries of an HTTPS page (its `pageref`; with Playwright's `_frameref` the
 *   main frame's navigations split one page into documents) fetched over http:// or ws://, and, for
 *   entries of no page, the HTTPS document Chrome names as their initiator (`_initiator`).
 *
 * Entries are handled as they stream in (read.ts); only a few fields of each are kept for the page
 * analysis at the end of each file.
 */
import type { ReportError } from '../../model/finding.js';
import type {
  CookieObservation,
  HstsObservation,
  LiveDelivery,
  Observation,
  PageObservation,
  SessionIdInUrlObservation,
} from '../../model/observation.js';
import { cookieObservationFromHeader } from '../../cookies/observe.js';
import { parseHsts } from '../live/hsts.js';
import { findSessionIdsInUrl, redactSessionIdsInUrl, redactValues } from '../live/session-id.js';
import { DEFAULT_MAX_HAR_BYTES } from './limits.js';
import { HarReadError, readHar, type RawHarEntry } from './read.js';

export interface HarOptions {
  /** Files larger than this are refused (bytes). */
  maxBytes?: number;
  onProgress?: (file: string, entries: number) => void;
}

export interface HarResult {
  observations: Observation[];
  errors: ReportError[];
  /** The first file that could not be read to its end (the report still holds what was read). */
  fatal: string | null;
  /**
   * Cookie observations made from an exporter's cookie list (no Set-Cookie header in the entry): the
   * raw header they carry is rebuilt, and findings about them say so.
   */
  rebuilt: CookieObservation[];
  entries: number;
}

/** Said in the evidence of a cookie whose Set-Cookie header was rebuilt from the HAR's cookie list. */
export const REBUILT_NOTE =
  "(attributes from the HAR's cookie list: the exporter left the Set-Cookie header out, so attributes it does not record, such as Max-Age or Partitioned, are unknown)";

const HAR_PROBE = 'har';

/** The few fields of an entry the page and HSTS trackers read. */
interface Kept {
  url: string;
  insecure: boolean;
  https: boolean;
  type: string | null;
  frame: string | null;
  initiator: string | null;
  status: number;
  redirect: boolean;
  mime: string | null;
}

export async function collectHar(files: string[], opts: HarOptions = {}): Promise<HarResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_HAR_BYTES;
  const out: HarResult = { observations: [], errors: [], fatal: null, rebuilt: [], entries: 0 };
  for (const file of files) {
    const pages = new PageTracker();
    const hosts = new HstsTracker();
    const seenIds = new Set<string>();
    try {
      await readHar(file, maxBytes, (entry) => {
        out.entries++;
        observeEntry(entry, out, seenIds, pages, hosts);
        if (opts.onProgress && out.entries % 1000 === 0) opts.onProgress(file, out.entries);
      });
    } catch (e) {
      const message = e instanceof HarReadError ? e.message : `${file}: ${(e as Error).message}`;
      out.errors.push({ file, message });
      out.fatal ??= message;
    }
    for (const p of pages.found.values()) out.observations.push(p);
    hosts.observations(out.observations);
  }
  return out;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function headerList(v: unknown): { name: string; value: string }[] {
  if (!Array.isArray(v)) return [];
  const out: { name: string; value: string }[] = [];
  for (const h of v) {
    if (h === null || typeof h !== 'object') continue;
    const name = str((h as { name?: unknown }).name);
    const value = (h as { value?: unknown }).value;
    if (name === null) continue;
    out.push({ name, value: typeof value === 'string' ? value : value === undefined ? '' : String(value) });
  }
  return out;
}

function parseUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

/**
 * The observations of one entry: its cookies and session ids now, its part in its page's mixed
 * content and its host's HSTS through the trackers.
 */
function observeEntry(
  e: RawHarEntry,
  out: HarResult,
  seenIds: Set<string>,
  pages: PageTracker,
  hosts: HstsTracker,
): void {
  const urlText = str(e.request?.url);
  if (urlText === null) return;
  const url = parseUrl(urlText);
  if (url === null) return;
  const scheme = url.protocol;
  const https = scheme === 'https:' || scheme === 'wss:';
  const res = e.response ?? {};
  const status = typeof res.status === 'number' ? res.status : Number(res.status) || 0;
  const redirectURL = str(res.redirectURL) ?? '';
  const headers = headerList(res.headers);
  const setCookies: string[] = [];
  const hsts: string[] = [];
  let location: string | null = null;
  for (const h of headers) {
    const n = h.name.toLowerCase();
    // Chrome's DevTools protocol joins repeated Set-Cookie headers with newlines; a Set-Cookie value
    // never holds one (RFC 9110 §5.5).
    if (n === 'set-cookie') for (const line of h.value.split('\n')) setCookies.push(line);
    else if (n === 'strict-transport-security') hsts.push(h.value);
    else if (n === 'location') location ??= h.value;
  }
  const isRedirect = status >= 300 && status < 400 && (redirectURL !== '' || location !== null);
  const started = str(e.startedDateTime);
  const at = started !== null ? new Date(started) : null;
  const now = at !== null && !Number.isNaN(at.getTime()) ? at : undefined;

  const mime = str(res.content?.mimeType);
  // URLs go into reports with the values of the session ids they carry redacted (the value stays in
  // the session-id observation, for the report's scrubbing): a baseline written earlier holds them so.
  const shown = redactSessionIdsInUrl(url.href);
  const k: Kept = {
    url: shown,
    insecure: scheme === 'http:' || scheme === 'ws:',
    https,
    type: str(e._resourceType)?.toLowerCase() ?? null,
    frame: str((e as { _frameref?: unknown })._frameref),
    initiator: initiatorUrl(e._initiator),
    status,
    redirect: isRedirect,
    mime: mime !== null ? (mime.split(';')[0]?.trim().toLowerCase() ?? null) : null,
  };
  // The page document the entry belongs to: findings about one cookie are merged per page (the
  // entries are listed as the other places), as `check` merges them per checked URL.
  const pageUrl = pages.see(k, str(e.pageref));
  if (scheme === 'https:' && status > 0) hosts.see(k, url.host, hsts);

  if (status > 0 && (scheme === 'https:' || scheme === 'http:')) {
    const delivery: LiveDelivery = {
      url: shown,
      scheme: scheme === 'https:' ? 'https' : 'http',
      status,
      hop: 0,
      requestedUrl: pageUrl ?? shown,
      redirect: isRedirect,
      probe: HAR_PROBE,
    };
    const opts = { source: 'har' as const, requestUrl: url, ...(now ? { now } : {}) };
    if (setCookies.length > 0) {
      for (const raw of setCookies) {
        if (raw.trim() === '' && setCookies.length > 1) continue;
        out.observations.push(cookieObservationFromHeader(raw, delivery, opts));
      }
    } else {
      for (const raw of rebuiltHeaders(res.cookies)) {
        const o = cookieObservationFromHeader(raw, delivery, opts);
        out.observations.push(o);
        if (o.kind === 'cookie') out.rebuilt.push(o);
      }
    }
  }

  sessionIds(url.href, 'url', url.href, out.observations, seenIds);
  const target = redirectURL !== '' ? redirectURL : isRedirect ? location : null;
  if (target !== null) sessionIds(target, 'location', url.href, out.observations, seenIds);
}

/**
 * Set-Cookie headers rebuilt from a HAR cookie list (HAR 1.2 §cookies: name, value, path, domain,
 * expires as ISO 8601, httpOnly, secure; Chrome DevTools and Playwright add sameSite).
 */
function rebuiltHeaders(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const c of list) {
    if (c === null || typeof c !== 'object') continue;
    const k = c as Record<string, unknown>;
    const name = str(k.name);
    if (name === null) continue;
    let h = `${name}=${str(k.value) ?? ''}`;
    const path = str(k.path);
    if (path) h += `; Path=${path}`;
    const domain = str(k.domain);
    if (domain) h += `; Domain=${domain}`;
    const expires = str(k.expires);
    if (expires) {
      const d = new Date(expires);
      if (!Number.isNaN(d.getTime())) h += `; Expires=${d.toUTCString()}`;
    }
    if (k.secure === true) h += '; Secure';
    if (k.httpOnly === true) h += '; HttpOnly';
    const sameSite = str(k.sameSite);
    if (sameSite) h += `; SameSite=${sameSite}`;
    out.push(h);
  }
  return out;
}

function sessionIds(
  target: string,
  where: 'url' | 'location',
  responseUrl: string,
  out: Observation[],
  seen: Set<string>,
): void {
  let resolved: string;
  try {
    resolved = new URL(target, responseUrl).href;
  } catch {
    return;
  }
  const ids = findSessionIdsInUrl(resolved);
  if (ids.length === 0) return;
  const values = ids.map((i) => i.value);
  for (const id of ids) {
    const key = `${where}|${resolved}|${id.parameter}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const o: SessionIdInUrlObservation = {
      kind: 'session-id-in-url',
      source: 'har',
      url: redactSessionIdsInUrl(where === 'location' ? responseUrl : resolved),
      where,
      parameter: id.parameter,
      value: id.value,
      evidence: `${where === 'location' ? 'Location: ' : ''}${redactValues(resolved, values)}`,
    };
    if (id.framework) o.framework = id.framework;
    out.push(o);
  }
}

/** Chrome DevTools `_initiator`: `{ type: 'parser', url }`, or `{ type: 'script', stack: { callFrames: [{ url }] } }`. */
function initiatorUrl(v: unknown): string | null {
  if (v === null || typeof v !== 'object') return null;
  const i = v as { url?: unknown; stack?: { callFrames?: { url?: unknown }[]; parent?: unknown } };
  const u = str(i.url);
  if (u) return u;
  let stack: unknown = i.stack;
  for (let depth = 0; stack && typeof stack === 'object' && depth < 32; depth++) {
    const frames = (stack as { callFrames?: unknown }).callFrames;
    if (Array.isArray(frames))
      for (const f of frames) {
        const fu = f && typeof f === 'object' ? str((f as { url?: unknown }).url) : null;
        if (fu) return fu;
      }
    stack = (stack as { parent?: unknown }).parent;
  }
  return null;
}

function isDocument(k: Kept): boolean {
  if (k.type !== null) return k.type === 'document';
  return k.mime === 'text/html' || k.mime === 'application/xhtml+xml';
}

/** The request type of an insecure subresource, as the mixed-content rule reads it. */
function subresourceType(k: Kept): { type: string; active?: boolean } {
  if (k.type !== null && k.type !== 'other') {
    // Chrome's ResourceType: image and media are upgradeable (passive); the rest blockable.
    if (k.type === 'document') return { type: 'iframe', active: true };
    if (k.type === 'image' || k.type === 'media') return { type: k.type, active: false };
    return { type: k.type, active: true };
  }
  const m = k.mime ?? '';
  if (m.startsWith('image/')) return { type: 'image', active: false };
  if (m.startsWith('audio/') || m.startsWith('video/')) return { type: 'media', active: false };
  if (m === 'text/css') return { type: 'stylesheet', active: true };
  if (m.includes('javascript') || m.includes('ecmascript')) return { type: 'script', active: true };
  if (m === 'text/html') return { type: 'iframe', active: true };
  if (k.url.startsWith('ws:')) return { type: 'websocket', active: true };
  const path = k.url.split(/[?#]/)[0]!.toLowerCase();
  if (/\.(png|jpe?g|gif|webp|avif|svg|ico|bmp)$/.test(path)) return { type: 'image', active: false };
  if (/\.(mp4|webm|mp3|ogg|wav|m4a)$/.test(path)) return { type: 'media', active: false };
  if (/\.m?js$/.test(path)) return { type: 'script', active: true };
  if (/\.css$/.test(path)) return { type: 'stylesheet', active: true };
  return { type: k.type ?? 'other', active: true };
}

/**
 * Mixed content, entry by entry in file order. Within a page (pageref), the main frame's documents
 * (Playwright: the `_frameref` of the page's first document; others: the page's first document and its
 * redirects) are the page's URL as it navigates; every other entry fetched over http:// or ws://
 * while the current document is https:// is one of its insecure subresources. Entries of no page
 * count for the HTTPS document Chrome names as their initiator.
 */
class PageTracker {
  readonly found = new Map<string, PageObservation>();
  private readonly pages = new Map<
    string,
    { mainFrame: string | null | undefined; current: string | null; navigating: boolean }
  >();

  /** The URL of the page document `k` belongs to (null: none known yet, or no page). */
  see(k: Kept, pageref: string | null): string | null {
    if (pageref === null) {
      if (k.insecure && k.initiator !== null && k.initiator.startsWith('https:')) this.add(k.initiator, k);
      return null;
    }
    let st = this.pages.get(pageref);
    if (!st) this.pages.set(pageref, (st = { mainFrame: undefined, current: null, navigating: true }));
    const doc = isDocument(k);
    let main: boolean;
    if (doc && st.mainFrame === undefined) {
      st.mainFrame = k.frame;
      main = true;
    } else
      main =
        doc &&
        (st.mainFrame !== null && st.mainFrame !== undefined ? k.frame === st.mainFrame : st.navigating);
    if (main) {
      if (k.redirect) {
        st.navigating = true;
        return null;
      }
      st.current = k.url;
      st.navigating = false;
      return k.url;
    }
    if (st.current === null) return null;
    if (k.insecure && st.current.startsWith('https:')) this.add(st.current, k);
    return st.current;
  }

  private add(pageUrl: string, k: Kept): void {
    let p = this.found.get(pageUrl);
    if (!p) {
      p = { kind: 'page', source: 'har', url: pageUrl, insecureSubresources: [], insecureFormActions: [] };
      this.found.set(pageUrl, p);
    }
    // Bounded: the rule lists a few; the rest only count.
    if (p.insecureSubresources.length >= MAX_SUBRESOURCES_PER_PAGE) return;
    if (p.insecureSubresources.some((r) => r.url === k.url)) return;
    const t = subresourceType(k);
    p.insecureSubresources.push({
      url: k.url,
      type: t.type,
      ...(t.active !== undefined ? { active: t.active } : {}),
      ...(k.initiator ? { initiator: k.initiator } : {}),
    });
  }
}

const MAX_SUBRESOURCES_PER_PAGE = 1000;

/**
 * HSTS per HTTPS host that served a main document: browsers learn HSTS from any HTTPS response of the
 * host (RFC 6797 §8.1), so the first header the host sent is the one judged; a host that never sent
 * one is reported at its first document. Third-party hosts that served only subresources are not
 * judged (the site cannot fix them).
 */
class HstsTracker {
  private readonly hosts = new Map<
    string,
    { doc: string | null; header: { url: string; values: string[] } | null }
  >();

  /** An https:// entry (`host`: its URL's, as the caller parsed it). */
  see(k: Kept, host: string, hsts: string[]): void {
    let h = this.hosts.get(host);
    if (!h) this.hosts.set(host, (h = { doc: null, header: null }));
    if (h.header === null && hsts.length > 0) h.header = { url: k.url, values: hsts };
    if (h.doc === null && isDocument(k) && !k.redirect) h.doc = k.url;
  }

  observations(out: Observation[]): void {
    for (const h of this.hosts.values()) {
      if (h.doc === null) continue;
      const o: HstsObservation = h.header
        ? {
            kind: 'hsts',
            source: 'har',
            url: h.header.url,
            headers: h.header.values,
            parsed: parseHsts(h.header.values),
          }
        : { kind: 'hsts', source: 'har', url: h.doc, headers: [], parsed: null };
      out.push(o);
    }
  }
}
