/** Sources cited in rule metadata (meta.references), shared so that every rule cites them the same way. */
export const REF = {
  spec: '/work/shared/spec/findings.md (cookieguard findings contract)',
  storageModel:
    'draft-ietf-httpbis-rfc6265bis, Storage Model: https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-storage-model',
  retrieval:
    'draft-ietf-httpbis-rfc6265bis, Retrieval Algorithm (Secure cookies only over secure channels): https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-retrieval-algorithm',
  prefixes:
    'draft-ietf-httpbis-rfc6265bis, Cookie Name Prefixes: https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-cookie-name-prefixes',
  sameSite:
    'draft-ietf-httpbis-rfc6265bis, The SameSite Attribute / Lax-by-default: https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-the-samesite-attribute-2',
  sizeLimit:
    'draft-ietf-httpbis-rfc6265bis §5.6 (name + value over 4096 octets: ignore the cookie), httpwg/http-extensions PR 1581 and 1563',
  strictSecure:
    'Chrome Platform Status "Strict Secure Cookies" (insecure origins cannot touch Secure cookies; enabled by default in Chrome 58): https://chromestatus.com/feature/4506322921848832; draft-west-leave-secure-cookies-alone, folded into RFC 6265bis storage model',
  sameSiteNoneSecure:
    'Chrome Platform Status "Reject insecure SameSite=None cookies" (Chrome 80): https://chromestatus.com/feature/5633521622188032; Firefox 131 (bug 1909673, mdn/content PR 35713)',
  laxByDefault:
    'Chromium SameSite updates (Lax by default, Chrome 80): https://www.chromium.org/updates/same-site/faq; Firefox never shipped Lax-by-default (mdn/browser-compat-data PR 21487, bug 1617609)',
  localhost:
    'Secure cookies on http://localhost: Chrome 89+ and Firefox 75+ keep them, Safari does not (mdn/content issue 41366, WebKit bug 281149, webcompat/web-bugs 142566); W3C Secure Contexts "potentially trustworthy origin"',
  hsts: 'RFC 6797 (HTTP Strict Transport Security) §6.1 header syntax, §6.1.1 max-age (0 removes the policy), §8.1 only the first header is processed',
  hstsThreshold:
    'HSTS max-age threshold of 180 days (15552000 s): spec/findings.md hsts-weak; CIS NGINX Benchmark 4.1.8 recommends at least six months; hstspreload.org requires one year (31536000 s)',
  mixedContent:
    'W3C Mixed Content Level 2 (upgradeable vs blockable content): https://www.w3.org/TR/mixed-content/',
  owaspSession:
    'OWASP Session Management Cheat Sheet (cookie attributes, session ids in URLs): https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html',
  frameworkSettings: '/work/shared/knowledge/framework-settings.md (framework settings and defaults)',
  userPains:
    '/work/shared/knowledge/user-pains.md (TLS-terminating proxies, environment toggles, partial HTTPS)',
} as const;
