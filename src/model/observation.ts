/**
 * Observations: what a collector saw, without judgement.
 *
 * Every collector (code, live, later crawl/browser/har) turns its evidence into these. Rules
 * (src/rules) are pure functions from observations to findings. Fields are only ever added,
 * never renamed: rules, reporters and tests across the project rely on them.
 */

export type SourceKind = 'code' | 'live' | 'crawl' | 'browser' | 'har';

/** A place in the scanned tree. `file` is relative to the scanned root, `/`-separated; 1-based. */
export interface CodeLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** How an attribute's value came to be, for code observations (live values are `observed`). */
export type Provenance =
  | { kind: 'observed' } // seen on the wire / in the browser
  | { kind: 'explicit' } // written in code or config
  | { kind: 'framework-default'; framework: string; version?: string; note?: string }
  | {
      kind: 'env-dependent';
      /** Human-readable condition, e.g. `process.env.NODE_ENV === 'production'`. */
      condition: string;
      /** Value per environment the collector could resolve, e.g. { production: true, development: false }. */
      perEnvironment: Record<string, unknown>;
      /** Where each environment's value was learnt (.env.production, settings/prod.py ...). */
      resolvedFrom?: string[];
    }
  | { kind: 'unknown'; reason: string };

/**
 * An attribute of a cookie with where its value came from.
 * `value` is `'unknown'` when a collector could not resolve it: rules never report unknown as insecure.
 */
export interface Attr<T> {
  value: T | 'unknown';
  provenance: Provenance;
  /** Code location of the setting that decides this attribute (code source). */
  location?: CodeLocation;
  /** The text that decided it: the code line, or the raw attribute. */
  evidence?: string;
  /** Code excerpt of the line that decides it, for the text report (when it is not the cookie's own line). */
  snippet?: string;
}

/** `auto`: follows the request's scheme (express-session 'auto', cookie-session, Koa, Laravel 11.21+ ...). */
export type SecureValue = boolean | 'auto';
export type SameSiteValue = 'strict' | 'lax' | 'none' | 'invalid' | 'unset';

export type CookieCategory = 'session' | 'csrf' | 'preference' | 'analytics' | 'infrastructure' | 'unknown';

export interface CookieClassification {
  category: CookieCategory;
  /** Why: "name connect.sid is express-session's default session cookie", "value looks like a JWT" ... */
  reason: string;
  /** Vendor that controls the cookie when the site cannot fix it (Cloudflare, AWS ELB, Google Analytics). */
  vendor?: string;
  /** Framework the name points to (php, express, django ...), used to pick fix advice. */
  framework?: string;
  /**
   * How sure the category is: `high` a known cookie name, `medium` a name pattern / word or a value
   * structure (JWT, signed express id), `low` only a random-looking value. Absent: not stated.
   */
  confidence?: 'high' | 'medium' | 'low';
  /**
   * A remember-me cookie, persistent by design: told by its name (`remember_token`) or, in code, by the
   * condition it is set under (`if ($autologin == 1)`, `if ($remember)`).
   */
  rememberMe?: boolean;
}

export type CookieLifetime =
  | { kind: 'session' } // no Expires / Max-Age: lives until the browser session ends
  | {
      kind: 'persistent';
      seconds: number;
      /** Over 400 days: browsers cap it. */
      capped?: boolean;
      /** Code: the setting that decides the lifetime (or where the framework default applies). */
      location?: CodeLocation;
      evidence?: string;
    }
  | { kind: 'unknown' };

/** Where a live cookie was delivered. */
export interface LiveDelivery {
  /** URL of the response that carried the Set-Cookie. */
  url: string;
  scheme: 'https' | 'http';
  status: number;
  /** 0 = first response of the chain; n = n-th redirect hop. */
  hop: number;
  /** The URL the user asked to check (start of the chain). */
  requestedUrl: string;
  /** True when this response was a redirect (3xx with Location). */
  redirect: boolean;
  /** How the request was made: 'https' chain, 'http-twin' probe, 'proxy-probe' ... */
  probe: string;
}

export interface CookieObservation {
  kind: 'cookie';
  source: SourceKind;
  /** Cookie name as the browser sees it ('' for a nameless cookie). Code may give a pattern like `<app>_session`. */
  name: string;
  /** Raw value (live). Never printed unless --show-values. */
  value?: string;
  secure: Attr<SecureValue>;
  httpOnly: Attr<boolean>;
  sameSite: Attr<SameSiteValue> & { raw?: string };
  domain?: Attr<string>;
  path?: Attr<string>;
  lifetime: CookieLifetime;
  /** Prefix as matched case-insensitively by browsers. */
  prefix: '__Secure-' | '__Host-' | null;
  classification: CookieClassification;
  /** Deletion: Max-Age <= 0 or Expires in the past. Rules do not judge deletions. */
  deletion: boolean;
  /** `server`: a Set-Cookie header; `script`: document.cookie / js-cookie: can never be HttpOnly. */
  setBy: 'server' | 'script';
  /** Framework that produced or configured the cookie (php, laravel, express-session, flask ...). */
  framework?: string;
  /**
   * Code: the application the cookie belongs to when a tree holds several (the file that creates
   * the app, the project's folder). Cookies of different apps never share a browser's jar entry as
   * far as the scanner can tell: rules that compare cookies (shadowing) compare within one app.
   */
  app?: string;

  // --- live ---
  /** The raw Set-Cookie header (live). */
  raw?: string;
  delivery?: LiveDelivery;
  /** Syntax problems a browser tolerates or that make it drop the cookie. */
  parseIssues?: readonly ParseIssue[];
  /** Set when the browser would ignore the cookie for a storage-model reason (before any rule runs). */
  rejectedBy?: readonly RejectionReason[];
  /** Name + value size in bytes. */
  size?: number;

  // --- code ---
  /** Code location that sets / configures this cookie (the call, or where sessions are enabled). */
  location?: CodeLocation;
  /** Code excerpt for the text report. */
  snippet?: string;
  /** Inside a test / fixture folder: findings are reported at info. */
  inTestCode?: boolean;
  /**
   * Code: written by this function of the project, which takes the cookie name as a parameter and which
   * no scanned code calls. Its callers (an HTML page, another repository) decide which cookie it writes,
   * so findings are reported at info.
   */
  unusedHelper?: string;
  /**
   * The code API behind the cookie when one framework id covers several (PHP: 'session' for the
   * session module's cookie, 'setcookie' / 'setrawcookie' / 'header' for cookies set by a call), so
   * that fix advice can name the right knob.
   */
  api?: string;

  // --- browser (check --browser, issue 12) ---
  /**
   * Chromium refused to store the cookie: its own reasons (SetCookieBlockedReason names from
   * Network.responseReceivedExtraInfo, or the exclusion reasons of an Audits cookie issue), and how
   * the refusal was learnt: `protocol` (Chromium named the reasons) or `not-stored` (a script wrote
   * it and it is not in Chromium's jar afterwards; the reasons are then the parser's, see rejectedBy).
   */
  blockedByBrowser?: { browser: 'chromium'; reasons: readonly string[]; how: 'protocol' | 'not-stored' };
}

export interface ParseIssue {
  code:
    | 'control-character'
    | 'invalid-name'
    | 'duplicate-attribute'
    | 'unknown-attribute'
    | 'empty-name'
    | 'no-equals'
    | 'invalid-expires'
    | 'invalid-max-age'
    | 'attribute-too-long'
    | 'non-ascii'
    | 'other';
  message: string;
}

/** Storage-model reasons a browser drops a Set-Cookie (named after Chromium's SetCookieBlockedReason). */
export type RejectionReason =
  | 'SecureOnly' // Secure cookie set from a non-secure origin
  | 'SameSiteNoneInsecure'
  | 'InvalidPrefix'
  | 'InvalidDomain'
  | 'NameValuePairExceedsMaxSize'
  | 'DisallowedCharacter'
  | 'OverwriteSecure'
  | 'SyntaxError'
  // check --browser: Chromium blocked the cookie for a reason none of the above names (its own reason
  // is in CookieObservation.blockedByBrowser), e.g. SameSite on a cross-site response, third-party blocking.
  | 'BlockedByBrowser';

// ---------------------------------------------------------------------------------------------
// Site facts (live)

export interface HstsParsed {
  maxAge: number | null;
  includeSubDomains: boolean;
  preload: boolean;
  /** Problems that make browsers ignore the header or that a reviewer should see. */
  errors: string[];
  /** True when browsers would honour the header. */
  valid: boolean;
}

export interface HstsObservation {
  kind: 'hsts';
  source: SourceKind;
  /** The HTTPS URL whose response was inspected (final HTTPS origin of the chain). */
  url: string;
  /** Raw header values (several when the header was repeated). */
  headers: string[];
  parsed: HstsParsed | null;
  location?: CodeLocation;
  evidence?: string;
  framework?: string;
}

export interface RedirectHop {
  url: string;
  scheme: 'https' | 'http';
  status: number;
  location: string | null;
  setCookies: string[];
  hsts: string[];
  /** True when this response was followed as a redirect (3xx with a usable Location). */
  redirect?: boolean;
  /** Body bytes read (live collector caps them). */
  bodyBytes?: number;
  /** The body was longer than the collector's cap and was not read to its end. */
  bodyTruncated?: boolean;
  /** Set-Cookie headers beyond the collector's cap, not analysed (setCookies holds the analysed ones). */
  setCookiesDropped?: number;
}

/**
 * The redirect chain of one live request, hop by hop (live `check`: the HTTPS chain of each URL;
 * the plain-HTTP twin has its chain in HttpTwinObservation).
 */
export interface RedirectChainObservation {
  kind: 'redirect-chain';
  source: SourceKind;
  /** The URL the user asked to check. */
  requestedUrl: string;
  /** Same meaning as LiveDelivery.probe ('https' ...). */
  probe: string;
  chain: RedirectHop[];
  /** URL of the last response received (null when none came). */
  finalUrl: string | null;
  /** Why the chain stopped early (loop, too many redirects, network error), when it did. */
  error?: string;
}

/** The plain-HTTP twin of a checked URL. */
export interface HttpTwinObservation {
  kind: 'http-twin';
  source: SourceKind;
  url: string;
  requestedUrl: string;
  reachable: boolean;
  status?: number;
  /** First response redirects (eventually) to an https:// URL. */
  redirectsToHttps: boolean;
  /** Served content (2xx with a body) over plain HTTP instead of redirecting. */
  servesContent: boolean;
  chain: RedirectHop[];
  error?: string;
}

export interface SessionIdInUrlObservation {
  kind: 'session-id-in-url';
  source: SourceKind;
  url: string;
  /** Where: a Location header, the final URL, a link on a page ... */
  where: 'location' | 'url' | 'link' | 'config';
  /** Parameter name, e.g. PHPSESSID, jsessionid. */
  parameter: string;
  value?: string;
  location?: CodeLocation;
  evidence?: string;
  framework?: string;
}

export interface TlsObservation {
  kind: 'tls';
  source: SourceKind;
  url: string;
  /** Certificate verified against the system's and --ca roots. */
  authorized: boolean;
  error?: string;
  /** --insecure was given: the request continued anyway. */
  insecureAllowed: boolean;
}

/** A transport-level fact from code: Django SECURE_SSL_REDIRECT, HSTS seconds, trust proxy ... */
export interface SettingObservation {
  kind: 'setting';
  source: SourceKind;
  framework: string;
  /** Normalised key: 'ssl-redirect', 'hsts-seconds', 'trust-proxy', 'use-only-cookies', 'use-trans-sid' ... */
  key: string;
  value: unknown;
  provenance: Provenance;
  location?: CodeLocation;
  evidence?: string;
  snippet?: string;
  inTestCode?: boolean;
}

/**
 * Secure cookies are configured but the app may never see HTTPS (code), or a live probe showed
 * the app sets its session cookie only when told the request was HTTPS (live).
 */
export interface ProxyTrustObservation {
  kind: 'proxy-trust';
  source: SourceKind;
  framework: string;
  cookie: string;
  /** What was seen: 'secure-without-trust' (code), 'cookie-only-with-forwarded-proto', 'insecure-despite-https' (live). */
  situation: string;
  url?: string;
  location?: CodeLocation;
  evidence?: string;
  snippet?: string;
  inTestCode?: boolean;
  /**
   * What goes wrong in this framework when the app cannot tell HTTPS from HTTP (code), when it is
   * not "the cookie is never set": Django and Flask still send a Secure cookie over a request they
   * believe is plain HTTP, but Django's SECURE_SSL_REDIRECT loops, its CSRF Origin check (4.0+)
   * rejects HTTPS form posts, and absolute URLs / redirects use http://.
   */
  consequence?: string;
  /** Why the collector believes a proxy is in front of the app (a Procfile, an nginx proxy_pass ...). */
  proxyEvidence?: string;
}

/** A Set-Cookie header so malformed that no cookie comes out of it, or other header-level trouble. */
export interface MalformedHeaderObservation {
  kind: 'malformed-header';
  source: SourceKind;
  url: string;
  header: string;
  /** Raw header value, truncated for the report. */
  raw: string;
  problem: string;
}

/** A page over HTTPS or HTTP with forms / subresources (crawl, browser). */
export interface PageObservation {
  kind: 'page';
  source: SourceKind;
  url: string;
  /**
   * Subresources loaded over http:// by an HTTPS page. `type` is the element or request type (script,
   * stylesheet, iframe, img, fetch ...); `active` when given says blockable (true) or upgradeable
   * (images, audio, video: false); when absent the rule decides from `type`.
   */
  insecureSubresources: { url: string; type: string; active?: boolean; initiator?: string }[];
  insecureFormActions: string[];
  /** The same forms with what they hold (a password field makes the finding high). */
  insecureForms?: { action: string; method: string; hasPassword: boolean }[];
}

// --- check --login (session-not-renewed-on-login) ---------------------------------------------

/** A cookie of the login's jar compared across the login (values are never kept here). */
export interface LoginCookieComparison {
  name: string;
  /** Domain as stored (host-only cookies: the host), and path. */
  domain: string;
  path: string;
  /** In the jar before the form was submitted / after the login's last response. */
  before: boolean;
  after: boolean;
  /** Held before and after with the same value: the login did not renew it. */
  sameValue: boolean;
  classification: CookieClassification;
}

/** What a login (check --login, over HTTP or in a browser) did to the cookies of its jar. */
export interface LoginObservation {
  kind: 'login';
  source: SourceKind;
  /** The page whose form was submitted (after redirects). */
  url: string;
  /** Where the form was submitted. */
  action: string;
  /** The login request, without field values: `POST https://host/login (fields: username, password, csrf)`. */
  evidence: string;
  cookies: LoginCookieComparison[];
}

export type Observation =
  | CookieObservation
  | HstsObservation
  | HttpTwinObservation
  | SessionIdInUrlObservation
  | TlsObservation
  | SettingObservation
  | ProxyTrustObservation
  | MalformedHeaderObservation
  | PageObservation
  | RedirectChainObservation
  | LoginObservation;
