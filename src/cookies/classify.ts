/**
 * What a cookie is for, from its name (framework and vendor knowledge) and, failing that, the shape
 * of its value. Rules use the category to set severity: session/auth cookies get the full severity,
 * CSRF cookies are not asked for HttpOnly, infrastructure / analytics / preference cookies are
 * reported low or info, with `vendor` when the site cannot change the cookie.
 *
 * Sources of the names: /work/shared/knowledge/browser-rules.md ("Session identifiers commonly
 * seen") and framework-settings.md, plus the frameworks' defaults. Checked in source here:
 * express-session index.js (`opts.name || opts.key || 'connect.sid'`, node_modules), Django 3.2.25
 * django/conf/global_settings.py (sessionid, csrftoken, django_language), Flask 2.2.2
 * SESSION_COOKIE_NAME 'session', Flask-Login 0.6.2 config.COOKIE_NAME 'remember_token'
 * (Debian python3-django / python3-flask). The others are the documented defaults:
 *   PHP session.name=PHPSESSID (php-src ext/session/session.c), express-session name 'connect.sid'
 *   (express-session index.js), cookie-session 'session' (1.x: 'express:sess'), koa-session key
 *   'koa.sess', @fastify/session cookieName 'sessionId', Django SESSION_COOKIE_NAME 'sessionid' and
 *   CSRF_COOKIE_NAME 'csrftoken' and LANGUAGE_COOKIE_NAME 'django_language' (django/conf/global_settings.py),
 *   Flask SESSION_COOKIE_NAME 'session', Flask-Login REMEMBER_COOKIE_NAME 'remember_token',
 *   Starlette SessionMiddleware session_cookie='session', Laravel config/session.php
 *   cookie = Str::slug(APP_NAME, '_').'_session' and remember cookie 'remember_web_<sha1>',
 *   Rails session_store key '_<app>_session', Spring Session cookie 'SESSION', servlet containers
 *   'JSESSIONID', ASP.NET 'ASP.NET_SessionId', ASP.NET Core '.AspNetCore.Session' /
 *   '.AspNetCore.Cookies' / '.AspNetCore.Antiforgery.<id>' / '.AspNetCore.Culture',
 *   NextAuth v4 'next-auth.session-token' and Auth.js v5 'authjs.session-token' (with __Secure- /
 *   __Host- variants for CSRF tokens).
 */
import type { CookieClassification } from '../model/observation.js';
import type { Framework } from '../model/frameworks.js';

export interface ClassifyHints {
  /** Framework that set the cookie, when the caller knows it (code collector, --source). */
  framework?: string;
  /** `script`: document.cookie / js-cookie. */
  setBy?: 'server' | 'script';
  /**
   * The value is a constant written in the code (`res.cookie('remember', 1)`): every user gets the
   * same value, so it is no session identifier or credential whatever the name says.
   */
  constantValue?: 'number' | 'boolean' | 'string';
}

/** How sure a classification is: known name (high), name pattern / value structure (medium), value entropy (low). */
export type ClassificationConfidence = NonNullable<CookieClassification['confidence']>;

/** What classifyCookie returns: always states its confidence. */
export type CookieClassificationResult = CookieClassification & { confidence: ClassificationConfidence };

/** Names are compared without the __Secure- / __Host- prefix and, where noted, case-insensitively. */
function stripPrefix(name: string): string {
  const head = name.slice(0, 9).toLowerCase();
  if (head === '__secure-') return name.slice(9);
  if (head.startsWith('__host-')) return name.slice(7);
  return name;
}

interface NameEntry {
  reason: string;
  framework?: Framework;
  vendor?: string;
}

// ---------------------------------------------------------------------------------------------
// Session / authentication: exact names (case-insensitive unless the case is the signal).

const SESSION_EXACT = new Map<string, NameEntry>(
  Object.entries({
    phpsessid: { reason: "PHP's default session cookie (session.name)", framework: 'php' },
    jsessionid: {
      reason: 'the Java servlet session cookie (Tomcat, Jetty, Spring Boot)',
      framework: 'spring',
    },
    'asp.net_sessionid': { reason: "ASP.NET's session-state cookie", framework: 'aspnet' },
    '.aspxauth': { reason: 'ASP.NET forms-authentication ticket', framework: 'aspnet' },
    'connect.sid': { reason: "express-session's default session cookie", framework: 'express-session' },
    'express:sess': { reason: "cookie-session's (1.x) default session cookie", framework: 'cookie-session' },
    'express:sess.sig': {
      reason: "the signature of cookie-session's session cookie",
      framework: 'cookie-session',
    },
    'koa.sess': { reason: "koa-session's default session cookie", framework: 'koa-session' },
    'koa.sess.sig': { reason: "the signature of koa-session's session cookie", framework: 'koa-session' },
    'koa:sess': { reason: "koa-session's (older) default session cookie", framework: 'koa-session' },
    sessionid: { reason: "Django's default session cookie (SESSION_COOKIE_NAME)", framework: 'django' },
    _session_id: { reason: "Rails' legacy default session cookie", framework: 'rails' },
    ci_session: { reason: "CodeIgniter's session cookie" },
    cfid: { reason: 'ColdFusion client/session identifier' },
    cftoken: { reason: 'ColdFusion client/session token' },
    'next-auth.session-token': { reason: "NextAuth.js' session token", framework: 'next-auth' },
    'authjs.session-token': { reason: "Auth.js' session token", framework: 'next-auth' },
    'next-auth.pkce.code_verifier': { reason: "NextAuth.js' OAuth PKCE verifier", framework: 'next-auth' },
    'authjs.pkce.code_verifier': { reason: "Auth.js' OAuth PKCE verifier", framework: 'next-auth' },
    // Flask-Login's default name, but a common hand-made name too (Express, PHP, Rails apps): the
    // name alone does not say which framework set it, so fix advice comes from the code or headers.
    remember_token: {
      reason:
        "a remember-me cookie (Flask-Login's default REMEMBER_COOKIE_NAME, and a common hand-made name): it logs the user in",
    },
    remember_user_token: { reason: "Devise's remember-me cookie", framework: 'rails' },
    sid: { reason: 'a common name for a session identifier' },
    sessid: { reason: 'a common name for a session identifier' },
    zenid: { reason: "Zen Cart's session cookie" },
    laravel_session: { reason: "Laravel's default session cookie", framework: 'laravel' },
    'iron-session': { reason: 'an iron-session sealed session cookie', framework: 'iron-session' },
    'sails.sid': { reason: "Sails.js' session cookie (express-session)", framework: 'express-session' },
    moodlesession: { reason: "Moodle's session cookie" },
  } satisfies Record<string, NameEntry>),
);

/** Case matters: Spring Session's 'SESSION' vs Flask's 'session'; Fastify's 'sessionId'. */
function sessionExactCaseSensitive(bare: string): NameEntry | undefined {
  if (bare === 'SESSION') return { reason: "Spring Session's default session cookie", framework: 'spring' };
  if (bare === 'sessionId')
    return { reason: "@fastify/session's default session cookie", framework: 'fastify' };
  if (bare === 'session')
    return {
      reason:
        'the default session cookie of Flask, Starlette/FastAPI and cookie-session (which one cannot be told from the name)',
    };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// CSRF

const CSRF_EXACT = new Map<string, NameEntry>(
  Object.entries({
    csrftoken: {
      reason: "Django's CSRF cookie (CSRF_COOKIE_NAME), read by scripts by design",
      framework: 'django',
    },
    'xsrf-token': {
      reason:
        'the XSRF-TOKEN cookie (Laravel, Angular), read by scripts by design to send the X-XSRF-TOKEN header',
    },
    _csrf: { reason: 'the csurf / csrf-csrf secret cookie', framework: 'express' },
    csrf_token: { reason: 'a CSRF token cookie' },
    csrf: { reason: 'a CSRF token cookie' },
    _csrf_token: { reason: 'a CSRF token cookie' },
    'csrf-token': { reason: 'a CSRF token cookie' },
    _xsrf: { reason: "Tornado's XSRF cookie" },
    csrf_cookie_name: { reason: "CodeIgniter's CSRF cookie" },
    'next-auth.csrf-token': { reason: "NextAuth.js' CSRF token (double-submit)", framework: 'next-auth' },
    'authjs.csrf-token': { reason: "Auth.js' CSRF token (double-submit)", framework: 'next-auth' },
    __requestverificationtoken: { reason: "ASP.NET MVC's anti-forgery cookie", framework: 'aspnet' },
  } satisfies Record<string, NameEntry>),
);

// ---------------------------------------------------------------------------------------------
// Infrastructure (vendor-controlled: load balancers, CDNs, bot protection)

interface PatternEntry extends NameEntry {
  /** Exact lowercase name, or a prefix when `prefix` is set. */
  match: string;
  prefix?: boolean;
  /** Compare case-sensitively (some vendors' prefixes are distinctive only with their case). */
  caseSensitive?: boolean;
}

const INFRA: PatternEntry[] = [
  {
    match: 'awsalb',
    reason: 'AWS Application Load Balancer stickiness',
    vendor: 'AWS Elastic Load Balancing',
  },
  {
    match: 'awsalbcors',
    reason: 'AWS Application Load Balancer stickiness (CORS)',
    vendor: 'AWS Elastic Load Balancing',
  },
  {
    match: 'awsalbtg',
    prefix: true,
    reason: 'AWS ALB target-group stickiness',
    vendor: 'AWS Elastic Load Balancing',
  },
  {
    match: 'awselb',
    prefix: true,
    reason: 'AWS Classic Load Balancer stickiness',
    vendor: 'AWS Elastic Load Balancing',
  },
  { match: '__cf_bm', reason: 'Cloudflare Bot Management', vendor: 'Cloudflare' },
  { match: 'cf_clearance', reason: 'Cloudflare challenge clearance', vendor: 'Cloudflare' },
  { match: '__cflb', reason: 'Cloudflare Load Balancing session affinity', vendor: 'Cloudflare' },
  { match: '__cfruid', reason: 'Cloudflare rate limiting', vendor: 'Cloudflare' },
  { match: '_cfuvid', reason: 'Cloudflare rate limiting', vendor: 'Cloudflare' },
  { match: '__cfduid', reason: 'Cloudflare (legacy client identifier)', vendor: 'Cloudflare' },
  {
    match: '__cfseq',
    prefix: true,
    reason: 'Cloudflare waiting room / sequence rules',
    vendor: 'Cloudflare',
  },
  { match: '__cfwaitingroom', reason: 'Cloudflare Waiting Room', vendor: 'Cloudflare' },
  { match: 'cf_ob_info', reason: 'Cloudflare Always Online', vendor: 'Cloudflare' },
  { match: 'cf_use_ob', reason: 'Cloudflare Always Online', vendor: 'Cloudflare' },
  { match: 'bigipserver', prefix: true, reason: 'F5 BIG-IP load-balancer persistence', vendor: 'F5 BIG-IP' },
  {
    match: 'arraffinity',
    prefix: true,
    reason: 'Azure App Service instance affinity',
    vendor: 'Microsoft Azure',
  },
  {
    match: 'applicationgatewayaffinity',
    prefix: true,
    reason: 'Azure Application Gateway affinity',
    vendor: 'Microsoft Azure',
  },
  { match: 'tipmix', reason: 'Azure App Service traffic routing', vendor: 'Microsoft Azure' },
  { match: 'x-ms-routing-name', reason: 'Azure App Service traffic routing', vendor: 'Microsoft Azure' },
  { match: 'incap_ses_', prefix: true, reason: 'Imperva Incapsula session tracking', vendor: 'Imperva' },
  {
    match: 'visid_incap_',
    prefix: true,
    reason: 'Imperva Incapsula visitor identification',
    vendor: 'Imperva',
  },
  { match: 'nlbi_', prefix: true, reason: 'Imperva Incapsula load balancing', vendor: 'Imperva' },
  { match: 'reese84', reason: 'Imperva Advanced Bot Protection', vendor: 'Imperva' },
  { match: '_abck', reason: 'Akamai Bot Manager', vendor: 'Akamai' },
  { match: 'ak_bmsc', reason: 'Akamai Bot Manager', vendor: 'Akamai' },
  { match: 'bm_sz', reason: 'Akamai Bot Manager', vendor: 'Akamai' },
  { match: 'bm_sv', reason: 'Akamai Bot Manager', vendor: 'Akamai' },
  { match: 'bm_mi', reason: 'Akamai Bot Manager', vendor: 'Akamai' },
  { match: 'akavpau_', prefix: true, reason: 'Akamai visitor prioritisation', vendor: 'Akamai' },
  { match: 'datadome', reason: 'DataDome bot protection', vendor: 'DataDome' },
  { match: 'serverid', reason: 'HAProxy server persistence (cookie SERVERID)', vendor: 'load balancer' },
  {
    match: 'route',
    reason: 'load-balancer route stickiness (nginx sticky / OpenShift router)',
    vendor: 'load balancer',
  },
  { match: 'routeid', reason: "Apache mod_proxy_balancer's route stickiness", vendor: 'load balancer' },
  { match: 'ingresscookie', reason: 'ingress-nginx session affinity', vendor: 'load balancer' },
  { match: 'gclb', reason: 'Google Cloud Load Balancing affinity', vendor: 'Google Cloud' },
  { match: 'heroku-session-affinity', reason: 'Heroku session affinity', vendor: 'Heroku' },
  { match: 'nsc_', prefix: true, reason: 'Citrix NetScaler / ADC persistence', vendor: 'Citrix' },
  {
    match: 'ts01',
    prefix: true,
    reason: 'F5 BIG-IP ASM (Advanced WAF) integrity cookie',
    vendor: 'F5 BIG-IP',
  },
  { match: '__stripe_mid', reason: 'Stripe.js fraud prevention', vendor: 'Stripe' },
  { match: '__stripe_sid', reason: 'Stripe.js fraud prevention', vendor: 'Stripe' },
];

// ---------------------------------------------------------------------------------------------
// Analytics / advertising (set by vendor scripts)

const ANALYTICS: PatternEntry[] = [
  { match: '_ga', reason: 'Google Analytics client id', vendor: 'Google Analytics' },
  { match: '_ga_', prefix: true, reason: 'Google Analytics 4 session state', vendor: 'Google Analytics' },
  { match: '_gid', reason: 'Google Analytics', vendor: 'Google Analytics' },
  { match: '_gat', prefix: true, reason: 'Google Analytics throttling', vendor: 'Google Analytics' },
  { match: '_gcl_', prefix: true, reason: 'Google Ads conversion linker', vendor: 'Google Ads' },
  { match: '_dc_gtm_', prefix: true, reason: 'Google Tag Manager', vendor: 'Google Tag Manager' },
  {
    match: '__utm',
    prefix: true,
    reason: 'Google Analytics (urchin.js / ga.js)',
    vendor: 'Google Analytics',
  },
  { match: '_fbp', reason: 'Meta Pixel', vendor: 'Meta' },
  { match: '_fbc', reason: 'Meta Pixel click id', vendor: 'Meta' },
  { match: '_hj', prefix: true, reason: 'Hotjar', vendor: 'Hotjar' },
  { match: 'ajs_', prefix: true, reason: 'Segment analytics.js', vendor: 'Segment' },
  { match: 'mp_', prefix: true, reason: 'Mixpanel', vendor: 'Mixpanel' },
  { match: '_clck', reason: 'Microsoft Clarity', vendor: 'Microsoft Clarity' },
  { match: '_clsk', reason: 'Microsoft Clarity', vendor: 'Microsoft Clarity' },
  { match: 'clid', reason: 'Microsoft Clarity', vendor: 'Microsoft Clarity' },
  { match: 'muid', reason: 'Microsoft advertising / Clarity user id', vendor: 'Microsoft' },
  { match: '_uetsid', reason: 'Microsoft Advertising UET', vendor: 'Microsoft Advertising' },
  { match: '_uetvid', reason: 'Microsoft Advertising UET', vendor: 'Microsoft Advertising' },
  { match: '_pk_', prefix: true, reason: 'Matomo analytics', vendor: 'Matomo' },
  { match: 'amplitude_id', prefix: true, reason: 'Amplitude', vendor: 'Amplitude' },
  { match: 'AMP_', prefix: true, caseSensitive: true, reason: 'Amplitude', vendor: 'Amplitude' },
  { match: '_ttp', reason: 'TikTok Pixel', vendor: 'TikTok' },
  { match: '_tt_', prefix: true, reason: 'TikTok Pixel', vendor: 'TikTok' },
  { match: '_pin_unauth', reason: 'Pinterest tag', vendor: 'Pinterest' },
  { match: '_scid', reason: 'Snap Pixel', vendor: 'Snap' },
  { match: '_rdt_uuid', reason: 'Reddit Pixel', vendor: 'Reddit' },
  { match: '__hstc', reason: 'HubSpot', vendor: 'HubSpot' },
  { match: '__hssc', reason: 'HubSpot', vendor: 'HubSpot' },
  { match: '__hssrc', reason: 'HubSpot', vendor: 'HubSpot' },
  { match: 'hubspotutk', reason: 'HubSpot', vendor: 'HubSpot' },
  { match: '_hp2_', prefix: true, reason: 'Heap analytics', vendor: 'Heap' },
  { match: '_vwo_', prefix: true, reason: 'VWO', vendor: 'VWO' },
  { match: 'optimizely', prefix: true, reason: 'Optimizely', vendor: 'Optimizely' },
  { match: 'intercom-', prefix: true, reason: 'Intercom messenger widget', vendor: 'Intercom' },
  { match: '_dd_s', reason: 'Datadog RUM', vendor: 'Datadog' },
  { match: 'dtcookie', reason: 'Dynatrace RUM', vendor: 'Dynatrace' },
  { match: 'rxvisitor', reason: 'Dynatrace RUM', vendor: 'Dynatrace' },
  { match: 'dtpc', reason: 'Dynatrace RUM', vendor: 'Dynatrace' },
  { match: 'dtsa', reason: 'Dynatrace RUM', vendor: 'Dynatrace' },
  { match: '_lr_', prefix: true, reason: 'LogRocket', vendor: 'LogRocket' },
  { match: 'ph_', prefix: true, reason: 'PostHog', vendor: 'PostHog' },
  { match: '_sp_', prefix: true, reason: 'Snowplow', vendor: 'Snowplow' },
  { match: '__zlcmid', reason: 'Zendesk chat', vendor: 'Zendesk' },
];

// ---------------------------------------------------------------------------------------------
// Preferences and consent

const PREFERENCE: PatternEntry[] = [
  { match: 'lang', reason: 'language preference' },
  { match: 'language', reason: 'language preference' },
  { match: 'locale', reason: 'locale preference' },
  { match: 'next_locale', reason: "Next.js' locale preference", framework: 'next' },
  { match: 'i18n_redirected', reason: 'nuxt-i18n locale preference' },
  {
    match: 'django_language',
    reason: "Django's language cookie (LANGUAGE_COOKIE_NAME)",
    framework: 'django',
  },
  { match: '.aspnetcore.culture', reason: "ASP.NET Core's request-culture cookie", framework: 'aspnet' },
  { match: 'theme', reason: 'theme preference' },
  { match: 'color-scheme', reason: 'theme preference' },
  { match: 'color_mode', reason: 'theme preference' },
  { match: 'dark_mode', reason: 'theme preference' },
  { match: 'currency', reason: 'currency preference' },
  { match: 'timezone', reason: 'time-zone preference' },
  { match: 'tz', reason: 'time-zone preference' },
  { match: 'cookieconsent', reason: 'cookie-consent choice (Cookiebot)', vendor: 'Cookiebot' },
  { match: 'cookieconsent_status', reason: 'cookie-consent choice (cookieconsent.js)' },
  { match: 'optanonconsent', reason: 'cookie-consent choice (OneTrust)', vendor: 'OneTrust' },
  { match: 'optanonalertboxclosed', reason: 'cookie-consent banner state (OneTrust)', vendor: 'OneTrust' },
  { match: 'euconsent-v2', reason: 'IAB TCF consent string' },
  { match: 'euconsent', reason: 'IAB TCF consent string' },
  { match: 'usprivacy', reason: 'IAB CCPA privacy string' },
  { match: 'cookiecontrol', reason: 'cookie-consent choice (Civic Cookie Control)' },
  {
    match: 'cookielawinfo-',
    prefix: true,
    reason: 'cookie-consent choice (CookieYes / GDPR Cookie Consent)',
  },
  { match: 'cookieyes-consent', reason: 'cookie-consent choice (CookieYes)' },
  { match: 'cmplz_', prefix: true, reason: 'cookie-consent choice (Complianz)' },
  { match: 'borlabs-cookie', reason: 'cookie-consent choice (Borlabs)' },
  { match: '_iub_cs-', prefix: true, reason: 'cookie-consent choice (iubenda)' },
  { match: 'didomi_token', reason: 'cookie-consent choice (Didomi)', vendor: 'Didomi' },
  { match: 'cookie_consent', reason: 'cookie-consent choice' },
  { match: 'cookies_accepted', reason: 'cookie-consent choice' },
  { match: 'cookie_notice_accepted', reason: 'cookie-consent choice' },
  { match: 'moove_gdpr_popup', reason: 'cookie-consent choice (GDPR Cookie Compliance)' },
];

function findPattern(list: PatternEntry[], bare: string): PatternEntry | undefined {
  const lower = bare.toLowerCase();
  for (const e of list) {
    const subject = e.caseSensitive ? bare : lower;
    if (e.prefix ? subject.startsWith(e.match) : subject === e.match) return e;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Value shapes

/** `eyJ` (base64url of `{"`) then three (JWS) or five (JWE) base64url parts. */
function looksLikeJwt(value: string): boolean {
  if (value.length < 20 || value.length > 16384 || !value.startsWith('eyJ')) return false;
  let parts = 1;
  let partLen = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x2e) {
      // '.': the first two parts (header, payload) must not be empty
      if (parts <= 2 && partLen === 0) return false;
      parts++;
      partLen = 0;
      continue;
    }
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x2d ||
      c === 0x5f;
    if (!ok) return false;
    partLen++;
  }
  return parts === 3 || parts === 5;
}

/** express / cookie-signature signed values: `s:<value>.<signature>`, URL-encoded as `s%3A...`. */
function looksSignedExpress(value: string): boolean {
  const v = value.startsWith('s%3A') ? value.slice(4) : value.startsWith('s:') ? value.slice(2) : null;
  if (v === null) return false;
  const dot = v.lastIndexOf('.');
  return dot > 0 && v.length - dot - 1 >= 20;
}

/** Shannon entropy in bits per character. */
function entropyPerChar(s: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) counts.set(s.charCodeAt(i), (counts.get(s.charCodeAt(i)) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * A long, opaque, random-looking token: at least 16 characters of an id alphabet (base64/base64url/
 * hex/percent-encoding), not a number, not a date, with high per-character entropy. This is how
 * session identifiers and sealed sessions look, but so do other random ids: low confidence.
 */
function looksOpaqueToken(value: string): boolean {
  let v = value;
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
  if (v.length < 16 || v.length > 8192) return false;
  let digits = 0;
  let letters = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const isD = c >= 0x30 && c <= 0x39;
    const isL = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (isD) digits++;
    else if (isL) letters++;
    else if (!'+/=_-.%~'.includes(v[i]!)) return false;
  }
  if (letters === 0 || digits === 0) return false; // plain words or plain numbers
  const sample = v.length > 256 ? v.slice(0, 256) : v;
  const threshold = Math.min(3.5, Math.log2(sample.length) - 0.6);
  return entropyPerChar(sample) >= threshold;
}

// ---------------------------------------------------------------------------------------------
// Name heuristics ("with care")

/** Split a cookie name into lowercase words at separators and camelCase boundaries. */
function words(name: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    const c = name.charCodeAt(i);
    const isAlnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!isAlnum) {
      if (cur) out.push(cur.toLowerCase());
      cur = '';
      continue;
    }
    const isUpper = c >= 0x41 && c <= 0x5a;
    const prev = i > 0 ? name.charCodeAt(i - 1) : 0;
    const prevLower = prev >= 0x61 && prev <= 0x7a;
    if (isUpper && prevLower && cur) {
      out.push(cur.toLowerCase());
      cur = '';
    }
    cur += ch;
  }
  if (cur) out.push(cur.toLowerCase());
  return out;
}

function sessionishName(name: string): string | undefined {
  const ws = words(name);
  for (const w of ws) {
    if (w.startsWith('sess')) return `its name contains "${w}"`;
    if (w === 'sid' || w === 'ssid' || w.endsWith('sessid') || w.endsWith('sessionid'))
      return `its name contains "${w}", a session identifier`;
    if (w.startsWith('auth') && !w.startsWith('author')) return `its name contains "${w}"`;
    if (w === 'oauth' || w === 'sso' || w === 'saml' || w === 'oidc') return `its name contains "${w}"`;
    if (w === 'jwt' || w.endsWith('jwt') || w.startsWith('jwt')) return `its name contains "${w}"`;
    if (w === 'token' || w.endsWith('token') || w === 'accesstoken' || w === 'refreshtoken')
      return `its name contains "${w}"`;
    if (w === 'login' || w === 'logged' || w === 'loggedin') return `its name contains "${w}"`;
    if (w === 'remember' || w === 'rememberme') return `its name contains "${w}" (a remember-me credential)`;
    if (w === 'credential' || w === 'credentials' || w === 'apikey') return `its name contains "${w}"`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

function frameworkFromName(name: string): { framework?: Framework; reason: string } | undefined {
  const bare = stripPrefix(name);
  const lower = bare.toLowerCase();
  const cs = sessionExactCaseSensitive(bare);
  if (cs) return cs;
  const exact = SESSION_EXACT.get(lower) ?? CSRF_EXACT.get(lower);
  if (exact) return exact;
  const pref = findPattern(PREFERENCE, bare);
  if (pref?.framework) return pref;
  if (lower.startsWith('.aspnetcore.')) return { framework: 'aspnet', reason: 'an ASP.NET Core cookie' };
  if (lower.startsWith('aspsessionid')) return { reason: 'classic ASP (IIS) session cookie' };
  if (lower.startsWith('remember_web_'))
    return { framework: 'laravel', reason: "Laravel's remember-me cookie (remember_web_<hash>)" };
  if (lower.startsWith('next-auth.') || lower.startsWith('authjs.'))
    return { framework: 'next-auth', reason: 'a NextAuth.js / Auth.js cookie' };
  if (bare.startsWith('_') && lower.endsWith('_session') && lower.length > '__session'.length)
    return { framework: 'rails', reason: "Rails' session cookie naming (_<app>_session)" };
  if (!bare.startsWith('_') && lower.endsWith('_session') && lower.length > '_session'.length)
    return { framework: 'laravel', reason: "Laravel's session cookie naming (<app>_session)" };
  return undefined;
}

/**
 * The framework a cookie name points to (framework ids of src/model/frameworks.ts), or undefined
 * when the name is not a framework default or is shared by several frameworks (`session`: Flask,
 * Starlette/FastAPI, cookie-session; `XSRF-TOKEN`: Laravel and Angular).
 */
export function frameworkForCookieName(name: string): string | undefined {
  const n = String(name ?? '');
  let fw = frameworkCache.get(n);
  if (fw === undefined) {
    fw = frameworkFromName(n)?.framework ?? null;
    if (frameworkCache.size >= BY_NAME_CACHE_MAX) frameworkCache.clear();
    frameworkCache.set(n, fw);
  }
  return fw ?? undefined;
}

/** frameworkForCookieName per name (null: none). */
const frameworkCache = new Map<string, string | null>();

/** Every framework whose default cookie has this name (for ambiguous names like `session`). */
export function frameworksForCookieName(name: string): string[] {
  const bare = stripPrefix(String(name ?? ''));
  if (bare === 'session') return ['flask', 'starlette', 'cookie-session'];
  if (bare.toLowerCase() === 'xsrf-token') return ['laravel'];
  const one = frameworkForCookieName(name);
  return one ? [one] : [];
}

/**
 * Classify a cookie. Order: known session names, CSRF, infrastructure, analytics, preference,
 * session name patterns, session-like name words, value shape (JWT, signed express value, opaque
 * high-entropy token), unknown. Never throws.
 */
export function classifyCookie(
  name: string,
  value?: string,
  hints?: ClassifyHints,
): Readonly<CookieClassificationResult> {
  try {
    const h = hints ?? {};
    const r = classify(String(name ?? ''), typeof value === 'string' ? value : undefined, h);
    if (
      h.constantValue !== undefined &&
      (r.category === 'session' || r.category === 'csrf' || r.category === 'unknown')
    )
      return constantValued(name, h.constantValue, h.framework);
    return r;
  } catch {
    return { category: 'unknown', reason: 'could not classify the cookie', confidence: 'low' };
  }
}

const CONSTANT_WORDS: Record<NonNullable<ClassifyHints['constantValue']>, string> = {
  number: 'a number',
  boolean: 'a boolean',
  string: 'a string',
};

/** A cookie whose value is the same constant for everyone: a flag or a preference, not a credential. */
function constantValued(
  name: string,
  kind: NonNullable<ClassifyHints['constantValue']>,
  framework: string | undefined,
): CookieClassificationResult {
  return {
    category: 'preference',
    reason: `its value is ${CONSTANT_WORDS[kind]} constant written in the code, the same for every user: it holds no session identifier or credential, whatever the name ${name} suggests`,
    confidence: 'high',
    ...(framework ? { framework } : {}),
  };
}

/**
 * Results decided by the name alone (steps 1-7), per name and hints: a run sees the same few names
 * thousands of times. Bounded; the cached objects are frozen and shared by the observations.
 */
const byNameCache = new Map<string, Map<string, Readonly<CookieClassificationResult> | null>>();
/** byNameCache's tables per (frozen) hints object. */
const byHintsObject = new WeakMap<ClassifyHints, Map<string, Readonly<CookieClassificationResult> | null>>();
const BY_NAME_CACHE_MAX = 2048;

function classify(
  name: string,
  value: string | undefined,
  hints: ClassifyHints,
): Readonly<CookieClassificationResult> {
  // Per hints, then per name. A caller that passes the same hints object each time (the live
  // collector) finds its table without building a key string.
  let perName = byHintsObject.get(hints);
  if (perName === undefined) {
    const hintsKey = `${hints.setBy ?? ''}\u0000${hints.framework ?? ''}`;
    perName = byNameCache.get(hintsKey);
    if (perName === undefined) {
      if (byNameCache.size >= 64) byNameCache.clear();
      perName = new Map();
      byNameCache.set(hintsKey, perName);
    }
    if (Object.isFrozen(hints)) byHintsObject.set(hints, perName);
  }
  let byName = perName.get(name);
  if (byName === undefined) {
    const r = classifyByName(name, hints);
    byName = r ? Object.freeze(r) : null;
    if (perName.size >= BY_NAME_CACHE_MAX) perName.clear();
    perName.set(name, byName);
  }
  if (byName) {
    // A name that only says "login" (last_login, login_redirect, logged_in) is weak evidence: when
    // the value is plainly data (a time, a number, a flag, a path), it is not a credential.
    if (
      value !== undefined &&
      byName.category === 'session' &&
      byName.confidence === 'medium' &&
      onlyLoginWords(stripPrefix(name))
    ) {
      const data = plainDataShape(value);
      if (data) {
        return {
          category: 'unknown',
          reason: `name ${name} mentions login, but its value is ${data}, not a session identifier or credential`,
          confidence: 'low',
          ...(hints.framework ? { framework: hints.framework } : {}),
        };
      }
    }
    return byName;
  }
  return classifyByValue(name, value, hints);
}

const LOGIN_WORDS = new Set([
  'login',
  'logged',
  'loggedin',
  'last',
  'at',
  'time',
  'date',
  'redirect',
  'url',
  'next',
  'page',
  'return',
  'to',
  'in',
  'ts',
]);

/** The name's words are login words and plain qualifiers only (no "sess", "token", "auth" ...). */
function onlyLoginWords(name: string): boolean {
  const ws = words(name);
  return (
    ws.some((w) => w === 'login' || w === 'logged' || w === 'loggedin') && ws.every((w) => LOGIN_WORDS.has(w))
  );
}

/** A description of a value that is plainly data, or undefined when it could be a secret. */
function plainDataShape(value: string): string | undefined {
  let v = value;
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
  try {
    v = decodeURIComponent(v);
  } catch {
    // keep the raw value
  }
  if (/^(?:true|false|yes|no|on|off|[01])$/i.test(v)) return 'a flag';
  if (/^\d{9,13}$/.test(v)) return 'a timestamp';
  if (/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(v))
    return 'a date';
  if (/^\d{1,8}$/.test(v)) return 'a number';
  if (/^\/(?!\/)[^\s]*$/.test(v) || /^https?:\/\/[^\s]+$/i.test(v)) return 'a URL';
  return undefined;
}

/** Steps 1-7: what the name says (undefined when it says nothing). */
function classifyByName(name: string, hints: ClassifyHints): CookieClassificationResult | undefined {
  const bare = stripPrefix(name);
  const lower = bare.toLowerCase();
  const prefixNote = bare !== name ? ` (with the ${name.slice(0, name.length - bare.length)} prefix)` : '';
  const hinted = hints.framework;
  const withFw = (fw: string | undefined): { framework?: string } => {
    const f = hinted ?? fw;
    return f ? { framework: f } : {};
  };
  const scriptNote = hints.setBy === 'script' ? '; it is set by script, so it can never be HttpOnly' : '';

  if (name === '') {
    return {
      category: 'unknown',
      reason: 'the cookie has no name',
      confidence: 'low',
      ...withFw(undefined),
    };
  }

  // 1. Known session / auth names.
  const cs = sessionExactCaseSensitive(bare);
  const se = cs ?? SESSION_EXACT.get(lower);
  if (se) {
    return {
      category: 'session',
      reason: `name ${name} is ${se.reason}${prefixNote}${scriptNote}`,
      confidence: 'high',
      ...withFw(se.framework),
    };
  }

  // 2. CSRF (before the ASP.NET Core and `token` patterns).
  const ce = CSRF_EXACT.get(lower);
  if (ce) {
    return {
      category: 'csrf',
      reason: `name ${name} is ${ce.reason}${prefixNote}`,
      confidence: 'high',
      ...withFw(ce.framework),
    };
  }
  if (lower.startsWith('.aspnetcore.antiforgery.')) {
    return {
      category: 'csrf',
      reason: `name ${name} is ASP.NET Core's anti-forgery cookie`,
      confidence: 'high',
      ...withFw('aspnet'),
    };
  }
  if (
    lower.startsWith('csrf') ||
    lower.startsWith('xsrf') ||
    lower.startsWith('_csrf') ||
    lower.startsWith('_xsrf')
  ) {
    return {
      category: 'csrf',
      reason: `name ${name} names a CSRF token`,
      confidence: 'medium',
      ...withFw(undefined),
    };
  }

  // 3. Infrastructure.
  const inf = findPattern(INFRA, bare);
  if (inf) {
    return {
      category: 'infrastructure',
      reason: `name ${name} is set by ${inf.vendor} (${inf.reason}); vendor-controlled, the site cannot change its attributes`,
      vendor: inf.vendor!,
      confidence: 'high',
      ...withFw(undefined),
    };
  }

  // 4. Analytics.
  const an = findPattern(ANALYTICS, bare);
  if (an) {
    return {
      category: 'analytics',
      reason: `name ${name} is set by the ${an.vendor} script${an.reason === an.vendor ? '' : ` (${an.reason})`}; vendor-controlled, the site can only remove or configure the script`,
      vendor: an.vendor!,
      confidence: 'high',
      ...withFw(undefined),
    };
  }

  // 5. Preferences and consent.
  const pr = findPattern(PREFERENCE, bare);
  if (pr) {
    return {
      category: 'preference',
      reason: `name ${name} stores a ${pr.reason}`,
      ...(pr.vendor ? { vendor: pr.vendor } : {}),
      confidence: 'high',
      ...withFw(pr.framework),
    };
  }

  // 6. Session name patterns.
  const fw = frameworkFromName(name);
  if (lower.startsWith('.aspnetcore.')) {
    if (lower.startsWith('.aspnetcore.mvc.cookietempdataprovider')) {
      return {
        category: 'unknown',
        reason: `name ${name} is ASP.NET Core's TempData cookie (messages between requests)`,
        confidence: 'medium',
        ...withFw('aspnet'),
      };
    }
    return {
      category: 'session',
      reason: `name ${name} is an ASP.NET Core session or authentication cookie`,
      confidence: 'high',
      ...withFw('aspnet'),
    };
  }
  if (lower.startsWith('aspsessionid')) {
    return {
      category: 'session',
      reason: `name ${name} is a classic ASP (IIS) session cookie`,
      confidence: 'high',
      ...withFw(undefined),
    };
  }
  if (lower.startsWith('next-auth.') || lower.startsWith('authjs.')) {
    return {
      category: 'session',
      reason: `name ${name} is a NextAuth.js / Auth.js authentication cookie${prefixNote}`,
      confidence: 'high',
      ...withFw('next-auth'),
    };
  }
  if (lower.startsWith('remember_')) {
    return {
      category: 'session',
      reason: `name ${name} is a remember-me cookie: it logs the user in${fw?.framework === 'laravel' ? " (Laravel's remember_web_<hash>)" : ''}`,
      confidence: 'high',
      ...withFw(fw?.framework),
    };
  }
  if (lower.endsWith('_session') && lower.length > '_session'.length) {
    return {
      category: 'session',
      reason:
        hints.framework && hints.framework !== 'laravel' && hints.framework !== 'rails'
          ? `name ${name} is named like a session cookie (<app>_session)`
          : `name ${name} follows the session cookie naming of ${bare.startsWith('_') ? 'Rails (_<app>_session)' : 'Laravel (<app>_session)'}`,
      confidence: 'high',
      ...withFw(fw?.framework),
    };
  }
  if (lower.startsWith('wordpress_logged_in_') || lower.startsWith('wordpress_sec_')) {
    return {
      category: 'session',
      reason: `name ${name} is a WordPress login cookie`,
      confidence: 'high',
      ...withFw(undefined),
    };
  }

  // 6b. Password-reset cookies (WordPress's wp-resetpass-<hash>, reset_password, pwreset_key): they
  // hold the reset key, which lets whoever has it set the account's password: a credential.
  if (
    /(?:reset|recover|forgot)[-_.]?(?:pass(?:word)?|pw|pwd|key)|(?:pass(?:word)?|pw|pwd)[-_.]?(?:reset|recover)/i.test(
      bare,
    )
  ) {
    return {
      category: 'session',
      reason: `name ${name} is a password-reset cookie: it holds a reset key that lets its holder set the account's password`,
      confidence: 'high',
      ...withFw(fw?.framework),
    };
  }

  // 7. Session-like words in the name.
  const word = sessionishName(bare);
  if (word) {
    return {
      category: 'session',
      reason: `${word}, which usually names a session or credential cookie${scriptNote}`,
      confidence: 'medium',
      ...withFw(fw?.framework),
    };
  }

  // 7b. Interface-preference words (ui_language, sidebarStatus, preferred_theme), no session word.
  const pw = preferenceWord(bare);
  if (pw) {
    return {
      category: 'preference',
      reason: `name ${name} contains "${pw}", a display or interface preference`,
      confidence: 'medium',
      ...withFw(fw?.framework),
    };
  }
  return undefined;
}

/** Words that name what a user sees, not who they are. */
const PREFERENCE_WORDS = new Set([
  'lang',
  'language',
  'locale',
  'i18n',
  'theme',
  'sidebar',
  'darkmode',
  'timezone',
  'currency',
  'layout',
  'font',
  'fontsize',
  'colorscheme',
  'collapsed',
  'collapse',
]);

/** A preference word of the name (`ui_language`, `sidebarStatus`), or undefined. */
function preferenceWord(name: string): string | undefined {
  for (const w of words(name)) if (PREFERENCE_WORDS.has(w)) return w;
  return undefined;
}

/** Step 8 and the fallback: what the value looks like. */
function classifyByValue(
  name: string,
  value: string | undefined,
  hints: ClassifyHints,
): CookieClassificationResult {
  const hinted = hints.framework;
  const withFw = (fw: string | undefined): { framework?: string } => {
    const f = hinted ?? fw;
    return f ? { framework: f } : {};
  };
  // 8. Value shape.
  if (value !== undefined && value !== '') {
    if (looksLikeJwt(value)) {
      return {
        category: 'session',
        reason:
          'its value looks like a JWT (three base64url parts starting with eyJ), typically an authentication token',
        confidence: 'medium',
        ...withFw(undefined),
      };
    }
    if (looksSignedExpress(value)) {
      return {
        category: 'session',
        reason: 'its value is a signed express value (s:<id>.<signature>), the format of express-session ids',
        confidence: 'medium',
        ...withFw('express-session'),
      };
    }
    if (looksOpaqueToken(value)) {
      return {
        category: 'session',
        reason: 'its value is a long random-looking token, the usual shape of a session identifier',
        confidence: 'low',
        ...withFw(undefined),
      };
    }
  }

  if (hinted) {
    return {
      category: 'unknown',
      reason: `name ${name} is not a known cookie of ${hinted} and its value does not look like a session id`,
      confidence: 'low',
      framework: hinted,
    };
  }
  return {
    category: 'unknown',
    reason: `name ${name} is not a known session, CSRF, analytics, infrastructure or preference cookie`,
    confidence: 'low',
  };
}
