/**
 * What browsers do, in words: the `browser` text of findings, shared so that rules that explain
 * the same behaviour say it the same way.
 *
 * Sources (cited again in each rule's meta.references):
 * - RFC6265BIS: draft-ietf-httpbis-rfc6265bis, "Storage Model" (size limit, Domain, Secure from a
 *   non-secure origin, "leave secure cookies alone", SameSite=None requires Secure, prefixes) and
 *   "Retrieval Algorithm" (Secure cookies are only sent over secure channels).
 * - Chrome Platform Status: "Strict Secure Cookies" (enabled by default in Chrome 58),
 *   "Reject insecure SameSite=None cookies" (Chrome 80).
 * - Firefox 131 release notes (SameSite=None requires Secure, bug 1909673); Firefox never shipped
 *   Lax-by-default (bug 1617609 comment 23).
 * - MDN content issue 41366 / WebKit bug 281149: Safari does not treat http://localhost as secure
 *   for Secure cookies; Chrome (89+) and Firefox (75+) do.
 * - RFC 6797 (HSTS) §6.1.1 max-age, §8.1 only the first header is processed.
 */

/**
 * The texts that name a host or a domain are asked for once per finding, with the same few hosts
 * over and over: each is built once per distinct argument (a bounded cache per text).
 */
function memo(cache: Map<string, string>, key: string, build: () => string): string {
  let text = cache.get(key);
  if (text === undefined) {
    text = build();
    if (cache.size >= 256) cache.clear();
    cache.set(key, text);
  }
  return text;
}

const missingSecureTexts = new Map<string, string>();

/** Why a Secure-less cookie leaks even on an HTTPS site, with what HSTS does and does not cover. */
export function missingSecure(opts: {
  host: string | null;
  hsts?: { includeSubDomains: boolean } | null;
}): string {
  const hsts = opts.hsts ? (opts.hsts.includeSubDomains ? 'S' : 'H') : '-';
  return memo(missingSecureTexts, `${hsts}${opts.host ?? ''}`, () => buildMissingSecure(opts));
}

function buildMissingSecure(opts: {
  host: string | null;
  hsts?: { includeSubDomains: boolean } | null;
}): string {
  const target = opts.host ? `http://${opts.host}/` : 'any http:// URL of the host';
  const base =
    `Chrome, Firefox and Safari store it and send it with every request to ${target} ` +
    '(a typed host name, an old http:// link, an injected <img src="http://…">), where anyone on the ' +
    'network path can read it and replay it.';
  if (opts.hsts) {
    return (
      `${base} This site sends HSTS, which stops the browser from using http:// after the first visit, ` +
      'but not on the first visit, not once the HSTS entry expires or is cleared' +
      (opts.hsts.includeSubDomains ? '.' : ', and not for subdomains (no includeSubDomains).')
    );
  }
  return `${base} Without HSTS nothing stops the browser from making such requests.`;
}

export function secureEnvDependent(): string {
  return (
    'Wherever the condition is false (a staging server, a container started without the variable, a ' +
    'mis-set NODE_ENV), browsers store the cookie without Secure and send it over plain HTTP like any ' +
    'other cookie; nothing warns when that happens.'
  );
}

export function missingHttpOnly(): string {
  return (
    'Any script running in the page (an XSS payload, a compromised third-party script or browser ' +
    'extension content script) can read it through document.cookie and send it elsewhere, which ' +
    'hands over the session. With HttpOnly, browsers still send it with requests but hide it from scripts.'
  );
}

export function sameSiteNoneInsecure(): string {
  return (
    'Chrome and Edge (since version 80) and Firefox (since 131) reject a SameSite=None cookie without ' +
    'Secure: it is never stored, so the login or cross-site embed that relies on it silently fails. ' +
    'Browsers that still accept it send it cross-site over plain HTTP as well.'
  );
}

export function sameSiteInvalid(raw: string): string {
  return (
    `Browsers ignore SameSite=${raw} and treat the cookie as if it had no SameSite attribute: Chrome and ` +
    'Edge apply Lax by default (with a two-minute exception for top-level POSTs), Firefox and Safari send ' +
    'it with cross-site requests. The protection the attribute was meant to give is lost in some browsers.'
  );
}

export function prefixInvalid(prefix: string): string {
  return (
    `Chrome, Firefox and Safari ignore a ${prefix} cookie that does not meet the prefix's requirements ` +
    '(prefixes are matched case-insensitively): the cookie never reaches the jar, nothing is logged in ' +
    'the page, and whatever depends on it (a login, a CSRF check) silently fails.'
  );
}

const setOverHttpTexts = new Map<string, string>();

export function setOverHttp(host: string | null): string {
  return memo(setOverHttpTexts, host ?? '', () => buildSetOverHttp(host));
}

function buildSetOverHttp(host: string | null): string {
  return (
    'The Set-Cookie header crossed the network unencrypted: anyone on the path (public Wi-Fi, a proxy, ' +
    'an ISP) can read the value and use it, or replace it with their own (session fixation). Unless it ' +
    `is Secure, the browser also sends it back over plain HTTP to ${host ? `http://${host}/` : 'the host'}.`
  );
}

export function secureOverHttp(loopback: boolean): string {
  if (loopback) {
    return (
      'Chrome (89+) and Firefox (75+) treat http://localhost and 127.0.0.1 as secure contexts and keep a ' +
      'Secure cookie set there; Safari does not, so in Safari the cookie is dropped and the login does ' +
      'not stick. On any other host every browser drops it.'
    );
  }
  return (
    'Browsers ignore a Secure cookie set by a plain-HTTP response (RFC 6265bis storage model): it is ' +
    'never stored, so whatever the response meant to start (a session, a login) silently does not ' +
    'happen on http://; only the HTTPS version of the site can set it.'
  );
}

const domainBroadTexts = new Map<string, string>();

export function domainBroad(domain: string, exactHost: boolean): string {
  return memo(domainBroadTexts, `${exactHost ? '=' : '.'}${domain}`, () =>
    buildDomainBroad(domain, exactHost),
  );
}

function buildDomainBroad(domain: string, exactHost: boolean): string {
  const scope = exactHost
    ? `Domain=${domain} is the host itself, but a Domain attribute always means "this host and every subdomain"`
    : `Domain=${domain} makes the cookie belong to ${domain} and every subdomain of it`;
  return (
    `${scope}: browsers send it to all of them, and any of them can read it or overwrite it (a ` +
    'user-content host, a staging subdomain, a forgotten DNS record taken over). Subdomains without ' +
    'HSTS may also get it over plain HTTP if it is not Secure. Without Domain, it stays on the host that set it.'
  );
}

export function domainInvalid(): string {
  return (
    'Browsers ignore a cookie whose Domain is neither the host nor one of its parent domains, or is a ' +
    'public suffix (per the Public Suffix List): it is never stored, so whatever depends on it fails.'
  );
}

export function sessionIdInUrl(): string {
  return (
    'URLs are kept in browser history and bookmarks, written to server and proxy logs, and sent to ' +
    'other sites in the Referer header: anyone who gets the URL gets the session. A session id accepted ' +
    'from the URL also lets an attacker send a victim a link with an id the attacker knows (session fixation).'
  );
}

/** Browser-side view of a framework-specific consequence given by the collector (ProxyTrustObservation.consequence). */
export function trustProxyConsequence(consequence: string): string {
  return (
    'Behind a proxy or load balancer that terminates TLS, the app believes every request is plain HTTP. ' +
    `What users then see: ${consequence.replace(/\.?$/, '.')}`
  );
}

export function trustProxyMissing(situation: string): string {
  switch (situation) {
    case 'insecure-despite-https':
    case 'auto-without-trust':
      return (
        'The browser talks HTTPS to the proxy, but the app sees plain HTTP and sets the cookie without ' +
        'Secure: browsers then send it over http:// too, readable on the network.'
      );
    case 'cookie-only-with-forwarded-proto':
      return (
        'Without X-Forwarded-Proto: https (or without the app trusting it) the app never sends the ' +
        'cookie, so the browser has nothing to store: users cannot stay logged in, and nothing logs why.'
      );
    default:
      return (
        'Behind a proxy or load balancer that terminates TLS, the app sees every request as plain HTTP ' +
        'and refuses to send a Secure cookie (or sends none): the browser never gets the session cookie ' +
        'and users cannot log in, without any error.'
      );
  }
}

export function httpsNotEnforced(): string {
  return (
    'A user who types the host name or follows an http:// link stays on plain HTTP: the page and every ' +
    'cookie without Secure travel in clear, and an attacker on the network can keep the user on HTTP ' +
    '(SSL stripping). HSTS cannot be learnt over plain HTTP, so the first visit is always exposed.'
  );
}

export function hstsMissing(): string {
  return (
    'Without Strict-Transport-Security the browser keeps using http:// whenever the user types the host ' +
    'or follows an http:// link: that request, with every cookie not marked Secure, is in clear and an ' +
    'attacker can answer it instead of the site (SSL stripping).'
  );
}

export function hstsWeak(kind: 'short' | 'zero' | 'malformed'): string {
  if (kind === 'malformed')
    return (
      'Browsers ignore a Strict-Transport-Security header they cannot parse (RFC 6797 §6.1, and only the ' +
      'first header counts, §8.1): the site is treated as if it had no HSTS.'
    );
  if (kind === 'zero')
    return 'max-age=0 tells browsers to forget the HSTS policy (RFC 6797 §6.1.1): the site has no HSTS protection.';
  return (
    'The HSTS policy expires max-age seconds after the last visit: users who come back less often than ' +
    'that make their next first request over http:// again, exposed to SSL stripping.'
  );
}

export function mixedContent(active: boolean): string {
  return active
    ? 'Browsers block mixed scripts, styles, frames and fetches on an HTTPS page, so the page breaks; ' +
        'requests that do go out over http:// carry the non-Secure cookies of that host and can be altered in transit.'
    : 'Chrome upgrades mixed images, audio and video to HTTPS and blocks those that fail; other browsers ' +
        'load them over http:// with a warning. Such requests carry the non-Secure cookies of that host and ' +
        'tell the network what the user views.';
}

export function formPostsOverHttp(): string {
  return (
    'Submitting sends the form fields (passwords included) and the non-Secure cookies of the target host ' +
    'unencrypted. From an HTTPS page, Chrome (86+) and Firefox warn that the form is not secure before submitting.'
  );
}

export function tlsInvalid(): string {
  return (
    'Browsers stop at a full-page certificate error; on an HSTS host they do not even offer to continue. ' +
    'Users who click through can no longer tell the site from an attacker, which defeats Secure cookies.'
  );
}

export function oversized(rejected: boolean): string {
  return rejected
    ? 'Browsers ignore a cookie whose name and value together exceed 4096 bytes (RFC 6265bis; Chrome, ' +
        'Firefox and Safari enforce it): it is never stored, and whatever it carries (often the whole ' +
        'session, in cookie-based session stores) is lost without an error.'
    : 'Browsers drop a cookie once name and value exceed 4096 bytes; a little growth (a longer user ' +
        'name, one more claim or flash message) and the cookie is silently lost. Large cookies are also ' +
        "sent with every request and count against servers' header size limits.";
}

export function malformed(): string {
  return (
    'Browsers parse Set-Cookie leniently and silently: an attribute they cannot parse is dropped, a ' +
    'repeated attribute is overridden by its last occurrence, and a header they cannot parse at all sets ' +
    'nothing. The cookie the browser keeps is not the one the code meant to set.'
  );
}

export function sessionPersistent(): string {
  return (
    'With Expires or Max-Age the browser writes the cookie to disk and keeps it after every window is ' +
    'closed: on a shared or lost computer the next person is still logged in until it expires. Without ' +
    'them it ends with the browser session (though session restore in Chrome and Firefox can keep it too).'
  );
}

export function shadowingSecure(rejected: boolean): string {
  return (
    (rejected
      ? 'Browsers refuse to let a non-Secure cookie from plain HTTP overwrite a Secure cookie of the same ' +
        'name whose domain and path match ("leave secure cookies alone": Chrome 58+, Firefox 52+, RFC 6265bis), ' +
        'so this cookie is dropped and the HTTP part of the site does not see the session it set. '
      : 'Browsers keep whichever of the two arrives first: once the Secure one exists, a non-Secure one from ' +
        'plain HTTP is refused ("leave secure cookies alone": Chrome 58+, Firefox 52+, RFC 6265bis); before ' +
        'that, the non-Secure one is stored and sent over http://. ') +
    'An attacker on the network can do the same: plant a non-Secure cookie of that name before the ' +
    'Secure one exists (session fixation). The __Host- or __Secure- prefix forbids that.'
  );
}
