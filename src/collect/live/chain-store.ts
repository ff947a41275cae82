/**
 * The store behind the tough-cookie CookieJar of one redirect chain.
 *
 * A CookieJar asks its store for candidates (`findCookies`) and then decides itself which of them a
 * request gets: domain and host-only matching, path, Secure, HttpOnly, expiry, and the order
 * (RFC 6265 §5.4). tough-cookie's MemoryCookieStore keeps a browser's thousands of cookies in an
 * index by domain and path, and walks the public suffix list on every lookup to list the domains a
 * host may receive cookies for. A chain sets two or three cookies, and a run asks about the same
 * few hosts again and again: this store keeps them in a list, hands the jar the same candidates as
 * MemoryCookieStore would (the domains of tough-cookie's `permuteDomain`, remembered per host, and
 * tough-cookie's `pathMatch`), and answers its callbacks directly. What is sent stays tough-cookie's
 * decision; test/live/chain-store.test.ts checks both stores give the jar the same answers.
 */
// Store's methods are overloaded (a Promise without a callback, nothing with one): an implementation
// of both returns `any`.
/* eslint-disable @typescript-eslint/no-explicit-any */
import {
  pathMatch,
  permuteDomain,
  Store,
  type Callback,
  type Cookie,
  type ErrorCallback,
} from 'tough-cookie';

/** permuteDomain's answer per host (bounded: emptied when full). */
const domainsByHost = new Map<string, readonly string[]>();
const DOMAINS_BY_HOST_MAX = 1024;

/** The domains whose cookies `host` may receive, as MemoryCookieStore lists them. */
function domainsFor(host: string, allowSpecialUseDomain: boolean): readonly string[] {
  const key = allowSpecialUseDomain ? host : `\u0000${host}`;
  let domains = domainsByHost.get(key);
  if (domains === undefined) {
    domains = permuteDomain(host, allowSpecialUseDomain) ?? [host];
    if (domainsByHost.size >= DOMAINS_BY_HOST_MAX) domainsByHost.clear();
    domainsByHost.set(key, domains);
  }
  return domains;
}

function answer<T>(callback: Callback<T> | ErrorCallback | undefined, result: T): Promise<T> | undefined {
  if (callback) {
    callback(null, result);
    return undefined;
  }
  return Promise.resolve(result);
}

export class ChainCookieStore extends Store {
  private cookies: Cookie[] = [];

  constructor() {
    super();
    this.synchronous = true;
  }

  private indexOf(
    domain: string | null | undefined,
    path: string | null | undefined,
    key: string | null | undefined,
  ): number {
    const list = this.cookies;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      if (c.domain === domain && c.path === path && c.key === key) return i;
    }
    return -1;
  }

  /**
   * Store a cookie as a CookieJar stores one it accepts: it replaces the cookie of the same domain,
   * path and name, and keeps that one's creation time and index (RFC 6265 §5.3 step 11.3: the
   * order of the Cookie header).
   */
  keep(cookie: Cookie): void {
    const i = this.indexOf(cookie.domain, cookie.path, cookie.key);
    if (i !== -1) {
      const old = this.cookies[i]!;
      cookie.creation = old.creation;
      cookie.creationIndex = old.creationIndex;
    }
    this.place(cookie, i);
  }

  /** `cookie` in place of the one at `i`, or added (-1). */
  private place(cookie: Cookie, i: number): void {
    if (i === -1) this.cookies.push(cookie);
    else this.cookies[i] = cookie;
  }

  override findCookie(
    domain: string | null,
    path: string | null,
    key: string | null,
    callback?: Callback<Cookie | undefined>,
  ): any {
    if (domain == null || path == null || key == null) return answer(callback, undefined);
    const i = this.indexOf(domain, path, key);
    return answer(callback, i === -1 ? undefined : this.cookies[i]);
  }

  override findCookies(
    domain: string | null,
    path: string | null,
    allowSpecialUseDomain?: boolean | Callback<Cookie[]>,
    callback?: Callback<Cookie[]>,
  ): any {
    if (typeof allowSpecialUseDomain === 'function') {
      callback = allowSpecialUseDomain;
      allowSpecialUseDomain = true;
    }
    if (!domain) return answer(callback, []);
    const domains = domainsFor(domain, allowSpecialUseDomain === true);
    const out: Cookie[] = [];
    const list = this.cookies;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      if (c.domain == null || !domains.includes(c.domain)) continue;
      if (path && (c.path == null || !pathMatch(path, c.path))) continue;
      out.push(c);
    }
    return answer(callback, out);
  }

  override putCookie(cookie: Cookie, callback?: ErrorCallback): any {
    if (cookie.domain != null && cookie.path != null && cookie.key != null)
      this.place(cookie, this.indexOf(cookie.domain, cookie.path, cookie.key));
    return answer(callback, undefined);
  }

  override updateCookie(_old: Cookie, cookie: Cookie, callback?: ErrorCallback): any {
    return this.putCookie(cookie, callback);
  }

  override removeCookie(
    domain: string | null,
    path: string | null,
    key: string | null,
    callback?: ErrorCallback,
  ): any {
    const i = this.indexOf(domain, path, key);
    if (i !== -1) this.cookies.splice(i, 1);
    return answer(callback, undefined);
  }

  override removeCookies(domain: string, path: string | null, callback?: ErrorCallback): any {
    this.cookies = this.cookies.filter((c) => !(c.domain === domain && (path == null || c.path === path)));
    return answer(callback, undefined);
  }

  override removeAllCookies(callback?: ErrorCallback): any {
    this.cookies = [];
    return answer(callback, undefined);
  }

  override getAllCookies(callback?: Callback<Cookie[]>): any {
    const all = [...this.cookies].sort((a, b) => (a.creationIndex || 0) - (b.creationIndex || 0));
    return answer(callback, all);
  }
}
