/**
 * Fix advice per framework: the exact setting or code that changes the outcome, in the framework
 * that produced the cookie (framework ids: src/model/frameworks.ts), with a generic fallback.
 *
 * Sources (setting names and defaults), see also /work/shared/knowledge/framework-settings.md:
 * - PHP: php.ini directives session.cookie_secure / cookie_httponly / cookie_samesite (7.3+) /
 *   cookie_domain / cookie_lifetime / use_only_cookies / use_trans_sid / use_strict_mode
 *   (php-src ext/session/session.c); setcookie() options array (PHP 7.3+).
 * - Laravel: config/session.php of laravel/laravel 11.x ('secure' => env('SESSION_SECURE_COOKIE'),
 *   'http_only' => env('SESSION_HTTP_ONLY', true), 'same_site' => env('SESSION_SAME_SITE', 'lax'),
 *   'domain' => env('SESSION_DOMAIN'), 'expire_on_close' => env('SESSION_EXPIRE_ON_CLOSE', false),
 *   'cookie' => env('SESSION_COOKIE', ...)); trustProxies() in bootstrap/app.php (Laravel 11).
 * - Symfony: framework.session.cookie_secure|cookie_httponly|cookie_samesite|cookie_domain|
 *   cookie_lifetime|name; framework.trusted_proxies / trusted_headers (symfony.com
 *   "How to Configure Symfony to Work behind a Load Balancer or a Reverse Proxy").
 * - Flask 3.x config (SESSION_COOKIE_*), Flask-Login 0.6 (REMEMBER_COOKIE_*), Werkzeug ProxyFix.
 * - Django 5.x settings (SESSION_COOKIE_*, CSRF_COOKIE_*, SECURE_SSL_REDIRECT, SECURE_HSTS_*,
 *   SECURE_PROXY_SSL_HEADER, SESSION_EXPIRE_AT_BROWSER_CLOSE).
 * - Starlette SessionMiddleware(https_only, same_site, max_age, session_cookie),
 *   HTTPSRedirectMiddleware; uvicorn --proxy-headers / --forwarded-allow-ips.
 * - express-session (cookie.secure|httpOnly|sameSite|domain|maxAge, name, proxy), Express
 *   'trust proxy', cookie-session, pillarjs/cookies (Koa: app.proxy), koa-session, @fastify/session
 *   and @fastify/cookie (Fastify trustProxy), Next.js cookies(), NextAuth useSecureCookies,
 *   iron-session cookieOptions, Hono setCookie (prefix option) and secureHeaders().
 * - Rails: config.force_ssl, config.assume_ssl (ActionDispatch::AssumeSSL, Rails 7.1),
 *   config.session_store options, cookies_same_site_protection.
 * - Spring Boot server.servlet.session.cookie.* and server.forward-headers-strategy,
 *   server.servlet.session.tracking-modes; Spring Security HSTS / redirectToHttps.
 * - ASP.NET Core CookieBuilder.SecurePolicy, CookieOptions, ForwardedHeadersOptions, UseHsts
 *   (HstsOptions.MaxAge defaults to 30 days), UseHttpsRedirection.
 * - Go net/http Cookie, gorilla/sessions Options, gin Context.SetCookie.
 */
import type { CookieObservation } from '../model/observation.js';
import { cookieFramework } from './cookie-facts.js';

/** Which of a framework's knobs decides the cookie. */
export type CookieKind = 'session' | 'csrf' | 'remember' | 'cookie';

/** Attribute advice for one kind of cookie in one framework. */
interface AttrAdvice {
  secure?: string;
  httponly?: string;
  samesite?: string;
  domain?: string;
  lifetime?: string;
  /** How to give the cookie a `__Host-` name. */
  name?: string;
}

interface FrameworkAdvice {
  session?: AttrAdvice;
  csrf?: AttrAdvice;
  remember?: AttrAdvice;
  cookie?: AttrAdvice;
  trustProxy?: string;
  httpsRedirect?: string;
  hsts?: string;
  sessionIdInUrl?: string;
  size?: string;
}

const WEB_SERVER_REDIRECT =
  'Redirect every http:// request to https:// with a 301 before it reaches the application (nginx: ' +
  "`return 301 https://$host$request_uri;` in the port-80 server block; or the load balancer's HTTP-to-HTTPS rule)";
const WEB_SERVER_HSTS =
  'Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on every HTTPS response (nginx: ' +
  '`add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;`); add includeSubDomains ' +
  'only once every subdomain serves HTTPS';
const TRUST_WARNING =
  'trust only your proxy: trusting every client lets anyone claim HTTPS with X-Forwarded-Proto';

const GENERIC: Required<
  Pick<FrameworkAdvice, 'trustProxy' | 'httpsRedirect' | 'hsts' | 'sessionIdInUrl' | 'size'>
> & {
  cookie: Required<AttrAdvice>;
} = {
  cookie: {
    secure: 'Add the Secure attribute: `Set-Cookie: NAME=…; Secure; HttpOnly; SameSite=Lax; Path=/`',
    httponly: 'Add the HttpOnly attribute: `Set-Cookie: NAME=…; Secure; HttpOnly; SameSite=Lax; Path=/`',
    samesite:
      'Use `SameSite=Lax` (or `Strict`; `None` only for cookies needed in cross-site requests, and with Secure)',
    domain: 'Remove the Domain attribute so the cookie stays on the host that set it (a host-only cookie)',
    lifetime: 'Send the session cookie without Expires and Max-Age, and expire the session on the server',
    name: 'Rename the cookie `__Host-NAME` and send it with `Secure; Path=/` and no Domain',
  },
  trustProxy:
    "Make the proxy send `X-Forwarded-Proto: https` and configure the application to trust it from the proxy's address; " +
    TRUST_WARNING,
  httpsRedirect: WEB_SERVER_REDIRECT,
  hsts: WEB_SERVER_HSTS,
  sessionIdInUrl:
    'Accept session identifiers only from cookies, never from URL parameters, and stop writing them into links and redirects',
  size: 'Keep only an identifier in the cookie and store the data on the server (a session store), or store less in it',
};

const ADVICE: Record<string, FrameworkAdvice> = {
  php: {
    session: {
      secure:
        "Set `session.cookie_secure = 1` in php.ini (or `ini_set('session.cookie_secure', '1')` before session_start(), or `session_set_cookie_params(['secure' => true])`)",
      httponly:
        "Set `session.cookie_httponly = 1` in php.ini (or `session_set_cookie_params(['httponly' => true])`)",
      samesite: 'Set `session.cookie_samesite = "Lax"` in php.ini (PHP 7.3+)',
      domain:
        'Leave `session.cookie_domain` empty in php.ini (`session.cookie_domain =`) so the cookie stays on the host',
      lifetime:
        'Set `session.cookie_lifetime = 0` in php.ini: the cookie ends with the browser session (session.gc_maxlifetime still bounds it on the server)',
      name: 'Set `session.name = "__Host-PHPSESSID"` with `session.cookie_secure = 1`, `session.cookie_path = /` and an empty `session.cookie_domain`',
    },
    cookie: {
      secure:
        "Pass the options array: `setcookie('NAME', $value, ['secure' => true, 'httponly' => true, 'samesite' => 'Lax', 'path' => '/'])` (PHP 7.3+)",
      httponly:
        "Pass `'httponly' => true` in setcookie()'s options array: `setcookie('NAME', $value, ['httponly' => true, 'secure' => true, 'samesite' => 'Lax'])`",
      samesite: "Pass `'samesite' => 'Lax'` in setcookie()'s options array (PHP 7.3+)",
      domain: "Drop `'domain'` from setcookie()'s options (or pass `''`)",
      lifetime: "Pass `'expires' => 0` to setcookie()",
      name: "`setcookie('__Host-NAME', $value, ['secure' => true, 'path' => '/', 'httponly' => true, 'samesite' => 'Lax'])` (no 'domain')",
    },
    trustProxy:
      "PHP decides HTTPS from $_SERVER['HTTPS']: behind a TLS proxy have the web server set it for HTTPS requests (nginx: `fastcgi_param HTTPS on;`), or set `session.cookie_secure = 1`, which does not depend on it",
    hsts: "Send `header('Strict-Transport-Security: max-age=31536000; includeSubDomains');` on HTTPS responses, or set it in the web server",
    sessionIdInUrl:
      'Set `session.use_only_cookies = 1` and `session.use_trans_sid = 0` in php.ini (and `session.use_strict_mode = 1` so ids PHP did not create are refused)',
  },
  laravel: {
    session: {
      secure:
        "Set `SESSION_SECURE_COOKIE=true` in the production .env (read by `'secure' => env('SESSION_SECURE_COOKIE')` in config/session.php)",
      httponly: "Set `'http_only' => true` in config/session.php (`SESSION_HTTP_ONLY=true` in Laravel 11+)",
      samesite: "Set `SESSION_SAME_SITE=lax` in .env (config/session.php `'same_site'`)",
      domain: 'Leave `SESSION_DOMAIN` unset (null) in .env so the cookie stays on the host',
      lifetime: "Set `SESSION_EXPIRE_ON_CLOSE=true` in .env (config/session.php `'expire_on_close'`)",
      name: 'Set `SESSION_COOKIE=__Host-app_session` with `SESSION_SECURE_COOKIE=true`, SESSION_PATH `/` and SESSION_DOMAIN unset',
    },
    cookie: {
      secure:
        "Pass secure and httpOnly: `cookie('NAME', $value, $minutes, '/', null, true, true, false, 'lax')` (6th and 7th arguments; the defaults come from config/session.php)",
      httponly:
        "Pass httpOnly = true (7th argument): `cookie('NAME', $value, $minutes, '/', null, true, true)`",
      samesite: "Pass `'lax'` as sameSite (9th argument of `cookie()`), or set `SESSION_SAME_SITE=lax`",
      domain: 'Pass `null` as the domain (5th argument of `cookie()`)',
      lifetime: 'Pass 0 minutes to `cookie()` for a browser-session cookie',
    },
    trustProxy:
      "Laravel 11+: `->withMiddleware(fn (Middleware $m) => $m->trustProxies(at: ['10.0.0.0/8']))` in bootstrap/app.php with your proxy's addresses (Laravel 10 and older: `$proxies` in app/Http/Middleware/TrustProxies.php); " +
      TRUST_WARNING,
    httpsRedirect: `${WEB_SERVER_REDIRECT}; \`URL::forceScheme('https')\` only changes generated links`,
  },
  symfony: {
    session: {
      secure:
        "Set `framework.session.cookie_secure: auto` (or `true`) in config/packages/framework.yaml; with `auto` behind a TLS proxy also set `framework.trusted_proxies` and `trusted_headers: ['x-forwarded-for', 'x-forwarded-proto']`",
      httponly: 'Set `framework.session.cookie_httponly: true` in config/packages/framework.yaml',
      samesite: 'Set `framework.session.cookie_samesite: lax` in config/packages/framework.yaml',
      domain: 'Remove `framework.session.cookie_domain` from config/packages/framework.yaml',
      lifetime: 'Set `framework.session.cookie_lifetime: 0` in config/packages/framework.yaml',
      name: 'Set `framework.session.name: __Host-SESSID` with `cookie_secure: true`, `cookie_path: /` and no cookie_domain',
    },
    cookie: {
      secure:
        "Build the cookie with `Cookie::create('NAME', $value)->withSecure(true)->withHttpOnly(true)->withSameSite('lax')`",
      httponly:
        "Build the cookie with `Cookie::create('NAME', $value)->withHttpOnly(true)->withSecure(true)`",
      samesite: "Use `->withSameSite('lax')` on the Cookie",
      domain: 'Pass no domain to `Cookie::create()`',
      lifetime: 'Pass expire 0 to `Cookie::create()`',
    },
    trustProxy:
      "Set `framework.trusted_proxies: '10.0.0.0/8'` (your proxy) and `framework.trusted_headers: ['x-forwarded-for', 'x-forwarded-proto']` (or SYMFONY_TRUSTED_PROXIES); " +
      TRUST_WARNING,
    httpsRedirect: `${WEB_SERVER_REDIRECT}; or \`requires_channel: https\` in security.access_control`,
  },
  flask: {
    session: {
      secure: "Set `app.config['SESSION_COOKIE_SECURE'] = True`",
      httponly:
        "Set `app.config['SESSION_COOKIE_HTTPONLY'] = True` (Flask's default: remove the line that turns it off)",
      samesite: "Set `app.config['SESSION_COOKIE_SAMESITE'] = 'Lax'`",
      domain: 'Remove `SESSION_COOKIE_DOMAIN` (None: the cookie stays on the host)',
      lifetime:
        'Keep `session.permanent = False` (the default): only permanent sessions get an Expires (PERMANENT_SESSION_LIFETIME)',
      name: "Set `app.config['SESSION_COOKIE_NAME'] = '__Host-session'` with SESSION_COOKIE_SECURE = True, SESSION_COOKIE_PATH = '/' and no SESSION_COOKIE_DOMAIN",
    },
    cookie: {
      secure:
        "Pass `secure=True`: `response.set_cookie('NAME', value, secure=True, httponly=True, samesite='Lax')`",
      httponly:
        "Pass `httponly=True` to `response.set_cookie('NAME', value, secure=True, httponly=True, samesite='Lax')`",
      samesite: "Pass `samesite='Lax'` to `response.set_cookie(...)`",
      domain: 'Drop `domain=` from `response.set_cookie(...)`',
      lifetime: 'Drop `max_age=` and `expires=` from `response.set_cookie(...)`',
    },
    trustProxy:
      'Wrap the app: `app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)` (werkzeug.middleware.proxy_fix; x_proto = the number of proxies that set X-Forwarded-Proto)',
    hsts: 'Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` from an `@app.after_request` hook (or Flask-Talisman), or in the web server',
    size: 'Flask keeps the whole session in the signed cookie: store less in `session`, or use a server-side session (Flask-Session)',
  },
  'flask-login': {
    remember: {
      secure: "Set `app.config['REMEMBER_COOKIE_SECURE'] = True`",
      httponly: "Set `app.config['REMEMBER_COOKIE_HTTPONLY'] = True` (the default since Flask-Login 0.6.0)",
      samesite: "Set `app.config['REMEMBER_COOKIE_SAMESITE'] = 'Lax'`",
      domain: 'Remove `REMEMBER_COOKIE_DOMAIN`',
      lifetime: 'The remember-me cookie is persistent by design: keep `REMEMBER_COOKIE_DURATION` short',
    },
  },
  django: {
    session: {
      secure: 'Set `SESSION_COOKIE_SECURE = True` in the settings module used in production',
      httponly: 'Set `SESSION_COOKIE_HTTPONLY = True` (the default: remove the line that turns it off)',
      samesite: "Set `SESSION_COOKIE_SAMESITE = 'Lax'` (the default)",
      domain: 'Set `SESSION_COOKIE_DOMAIN = None` (the default)',
      lifetime: 'Set `SESSION_EXPIRE_AT_BROWSER_CLOSE = True`',
      name: "Set `SESSION_COOKIE_NAME = '__Host-sessionid'` with SESSION_COOKIE_SECURE = True, SESSION_COOKIE_PATH = '/' and SESSION_COOKIE_DOMAIN = None",
    },
    csrf: {
      secure: 'Set `CSRF_COOKIE_SECURE = True` in the settings module used in production',
      httponly: 'CSRF_COOKIE_HTTPONLY is off by design (scripts read the token); nothing to change',
      samesite: "Set `CSRF_COOKIE_SAMESITE = 'Lax'` (the default)",
      domain: 'Set `CSRF_COOKIE_DOMAIN = None` (the default)',
      lifetime:
        'Set `CSRF_USE_SESSIONS = True` to keep the token in the session instead of a persistent cookie',
      name: "Set `CSRF_COOKIE_NAME = '__Host-csrftoken'` with CSRF_COOKIE_SECURE = True",
    },
    cookie: {
      secure:
        "Pass `secure=True`: `response.set_cookie('NAME', value, secure=True, httponly=True, samesite='Lax')`",
      httponly:
        "Pass `httponly=True` to `response.set_cookie('NAME', value, secure=True, httponly=True, samesite='Lax')`",
      samesite: "Pass `samesite='Lax'` to `response.set_cookie(...)`",
      domain: 'Drop `domain=` from `response.set_cookie(...)`',
      lifetime: 'Drop `max_age=` and `expires=` from `response.set_cookie(...)`',
    },
    trustProxy:
      "Set `SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')`, only if the proxy always sets or overwrites X-Forwarded-Proto",
    httpsRedirect: 'Set `SECURE_SSL_REDIRECT = True` (or redirect in the web server in front of Django)',
    hsts: 'Set `SECURE_HSTS_SECONDS = 31536000` (and `SECURE_HSTS_INCLUDE_SUBDOMAINS = True` once every subdomain serves HTTPS)',
  },
  starlette: {
    session: {
      secure:
        "Pass `https_only=True`: `app.add_middleware(SessionMiddleware, secret_key=..., https_only=True, same_site='lax')`",
      httponly: 'SessionMiddleware always sets HttpOnly; set the cookie through it rather than by hand',
      samesite: "Pass `same_site='lax'` to SessionMiddleware",
      domain: 'Drop `domain=` from SessionMiddleware',
      lifetime: 'Pass `max_age=None` to SessionMiddleware (the default is 14 days)',
      name: "Pass `session_cookie='__Host-session', https_only=True` to SessionMiddleware (path '/' is its default)",
    },
    cookie: {
      secure:
        "Pass `secure=True`: `response.set_cookie('NAME', value, secure=True, httponly=True, samesite='lax')`",
      httponly:
        "Pass `httponly=True` to `response.set_cookie('NAME', value, secure=True, httponly=True, samesite='lax')`",
      samesite: "Pass `samesite='lax'` to `response.set_cookie(...)`",
      domain: 'Drop `domain=` from `response.set_cookie(...)`',
      lifetime: 'Drop `max_age=` and `expires=` from `response.set_cookie(...)`',
    },
    trustProxy:
      "Run uvicorn with `--proxy-headers --forwarded-allow-ips=<proxy address>` (or add uvicorn's ProxyHeadersMiddleware); " +
      TRUST_WARNING,
    httpsRedirect:
      '`app.add_middleware(HTTPSRedirectMiddleware)` (starlette.middleware.httpsredirect), or redirect in the proxy',
    size: 'SessionMiddleware keeps the whole session in the signed cookie: store less in `request.session`',
  },
  express: {
    cookie: {
      secure:
        "Pass `secure: true`: `res.cookie('NAME', value, { secure: true, httpOnly: true, sameSite: 'lax' })`",
      httponly:
        "Pass `httpOnly: true`: `res.cookie('NAME', value, { httpOnly: true, secure: true, sameSite: 'lax' })`",
      samesite: "Pass `sameSite: 'lax'` to `res.cookie()`",
      domain: 'Drop `domain` from the `res.cookie()` options',
      lifetime: 'Drop `maxAge` and `expires` from the `res.cookie()` options',
      name: "`res.cookie('__Host-NAME', value, { secure: true, path: '/', httpOnly: true, sameSite: 'lax' })` (no domain)",
    },
    csrf: {
      secure:
        "Pass `cookie: { secure: true, sameSite: 'lax' }` to the CSRF middleware (csurf: `csurf({ cookie: { secure: true, sameSite: 'lax' } })`)",
      samesite: "Pass `cookie: { sameSite: 'lax' }` to the CSRF middleware",
      domain: 'Drop `domain` from the CSRF middleware cookie options',
      lifetime: 'Drop `maxAge` from the CSRF middleware cookie options',
    },
    trustProxy:
      "Call `app.set('trust proxy', 1)` (the number of proxies in front of the app; `true` trusts any client's X-Forwarded-Proto)",
    httpsRedirect:
      "Redirect in the proxy, or first in the app: `app.use((req, res, next) => req.secure ? next() : res.redirect(301, 'https://' + req.hostname + req.originalUrl))` with 'trust proxy' set",
    hsts: 'Use helmet: `app.use(helmet.hsts({ maxAge: 31536000 }))` (or `app.use(helmet())`), or set the header in the proxy',
  },
  'express-session': {
    session: {
      secure:
        "Set `cookie: { secure: true }` in `session({ ... })`, and behind a TLS-terminating proxy `app.set('trust proxy', 1)` (or `proxy: true`), or the cookie is never sent; `secure: 'auto'` follows the request",
      httponly:
        'Set `cookie: { httpOnly: true }` in `session({ ... })` (the default: remove `httpOnly: false`)',
      samesite: "Set `cookie: { sameSite: 'lax' }` in `session({ ... })`",
      domain: 'Remove `cookie.domain` from `session({ ... })`',
      lifetime:
        'Omit `cookie.maxAge` and `cookie.expires` in `session({ ... })` (a browser-session cookie; the store still expires the session)',
      name: "Set `name: '__Host-sid'` with `cookie: { secure: true, path: '/' }` and no domain in `session({ ... })`",
    },
    trustProxy:
      "Call `app.set('trust proxy', 1)` (the number of proxies in front of the app) or pass `proxy: true` to `session()`",
  },
  'cookie-session': {
    session: {
      secure:
        "Pass `secure: true` to `cookieSession({ ... })` (its default follows the request: behind a TLS proxy that needs `app.set('trust proxy', 1)`)",
      httponly: 'Pass `httpOnly: true` to `cookieSession({ ... })` (the default)',
      samesite: "Pass `sameSite: 'lax'` to `cookieSession({ ... })`",
      domain: 'Drop `domain` from `cookieSession({ ... })`',
      lifetime: 'Omit `maxAge` and `expires` in `cookieSession({ ... })`',
      name: "Pass `name: '__Host-session', secure: true, path: '/'` to `cookieSession({ ... })`",
    },
    trustProxy: "Call `app.set('trust proxy', 1)` (the number of proxies in front of the app)",
    size: 'cookie-session keeps the whole session in the cookie: store less in `req.session`, or move to express-session with a server-side store',
  },
  koa: {
    cookie: {
      secure:
        "Pass `secure: true`: `ctx.cookies.set('NAME', value, { secure: true, httpOnly: true, sameSite: 'lax' })` (behind a TLS proxy set `app.proxy = true`, or Koa refuses to send it)",
      httponly: 'Pass `httpOnly: true` to `ctx.cookies.set()` (the default: remove `httpOnly: false`)',
      samesite: "Pass `sameSite: 'lax'` to `ctx.cookies.set()`",
      domain: 'Drop `domain` from the `ctx.cookies.set()` options',
      lifetime: 'Drop `maxAge` and `expires` from the `ctx.cookies.set()` options',
    },
    trustProxy: 'Set `app.proxy = true` so Koa reads X-Forwarded-Proto (' + TRUST_WARNING + ')',
  },
  'koa-session': {
    session: {
      secure: 'Pass `secure: true` to `session({ ... }, app)` and set `app.proxy = true` behind a TLS proxy',
      httponly: 'Pass `httpOnly: true` to `session({ ... }, app)` (the default)',
      samesite: "Pass `sameSite: 'lax'` to `session({ ... }, app)`",
      domain: 'Drop `domain` from `session({ ... }, app)`',
      lifetime: "Pass `maxAge: 'session'` to `session({ ... }, app)`",
      name: "Pass `key: '__Host-koa.sess', secure: true` to `session({ ... }, app)`",
    },
    trustProxy: 'Set `app.proxy = true` so Koa reads X-Forwarded-Proto (' + TRUST_WARNING + ')',
    size: 'koa-session without a store keeps the session in the cookie: pass a `store` to keep only an id in it',
  },
  fastify: {
    session: {
      secure:
        "Keep `cookie: { secure: true }` in the @fastify/session options (its default; `'auto'` follows the request) and create the server with `Fastify({ trustProxy: true })` behind a TLS proxy",
      httponly: 'Keep `cookie: { httpOnly: true }` in the @fastify/session options (the default)',
      samesite: "Set `cookie: { sameSite: 'lax' }` in the @fastify/session options",
      domain: 'Remove `cookie.domain` from the @fastify/session options',
      lifetime: 'Omit `cookie.maxAge` and `cookie.expires` in the @fastify/session options',
      name: "Set `cookieName: '__Host-sessionId'` with `cookie: { secure: true, path: '/' }`",
    },
    cookie: {
      secure:
        "Pass `secure: true`: `reply.setCookie('NAME', value, { secure: true, httpOnly: true, sameSite: 'lax', path: '/' })` (@fastify/cookie)",
      httponly:
        "Pass `httpOnly: true` to `reply.setCookie('NAME', value, { httpOnly: true, secure: true, sameSite: 'lax' })`",
      samesite: "Pass `sameSite: 'lax'` to `reply.setCookie()`",
      domain: 'Drop `domain` from the `reply.setCookie()` options',
      lifetime: 'Drop `maxAge` and `expires` from the `reply.setCookie()` options',
    },
    trustProxy: "Create the server with `Fastify({ trustProxy: true })` (or the proxy's address / hop count)",
  },
  next: {
    cookie: {
      secure:
        "Pass `secure: true`: `(await cookies()).set('NAME', value, { secure: true, httpOnly: true, sameSite: 'lax', path: '/' })` (next/headers; `response.cookies.set()` in middleware)",
      httponly:
        "Pass `httpOnly: true` to `cookies().set('NAME', value, { httpOnly: true, secure: true, sameSite: 'lax' })`",
      samesite: "Pass `sameSite: 'lax'` to `cookies().set()`",
      domain: 'Drop `domain` from the `cookies().set()` options',
      lifetime: 'Drop `maxAge` and `expires` from the `cookies().set()` options',
    },
    hsts: "Add the header in next.config.js: `async headers() { return [{ source: '/:path*', headers: [{ key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }] }] }`",
  },
  'next-auth': {
    session: {
      secure:
        'Set `useSecureCookies: true` in the NextAuth/Auth.js options, or give NEXTAUTH_URL / AUTH_URL an https:// URL (the default follows it and adds the __Secure- prefix)',
      httponly:
        'Remove the `cookies.sessionToken.options.httpOnly: false` override (the default is HttpOnly)',
      samesite: "Set `cookies.sessionToken.options.sameSite: 'lax'` (the default)",
      domain: 'Remove `cookies.sessionToken.options.domain`',
      lifetime: 'NextAuth session tokens are persistent by design: shorten `session.maxAge`',
    },
    csrf: {
      secure:
        'Set `useSecureCookies: true` (or an https:// NEXTAUTH_URL / AUTH_URL): the CSRF cookie then gets Secure and the __Host- prefix',
    },
  },
  'iron-session': {
    session: {
      secure:
        "Keep `cookieOptions: { secure: true }` (iron-session's default) in the getIronSession options: remove `secure: false`",
      httponly: 'Keep `cookieOptions: { httpOnly: true }` (the default) in the getIronSession options',
      samesite: "Set `cookieOptions: { sameSite: 'lax' }` (the default)",
      domain: 'Remove `cookieOptions.domain`',
      lifetime: 'Give the cookie no `maxAge` in `cookieOptions`, and keep `ttl` short',
      name: "Set `cookieName: '__Host-session'` with `cookieOptions: { secure: true, path: '/' }`",
    },
    size: 'iron-session seals the whole session into the cookie: store less in it',
  },
  hono: {
    cookie: {
      secure:
        "Pass `secure: true`: `setCookie(c, 'NAME', value, { secure: true, httpOnly: true, sameSite: 'Lax', path: '/' })` (hono/cookie)",
      httponly:
        "Pass `httpOnly: true` to `setCookie(c, 'NAME', value, { httpOnly: true, secure: true, sameSite: 'Lax' })`",
      samesite: "Pass `sameSite: 'Lax'` to `setCookie()`",
      domain: 'Drop `domain` from the `setCookie()` options',
      lifetime: 'Drop `maxAge` and `expires` from the `setCookie()` options',
      name: "Use Hono's prefix option: `setCookie(c, 'NAME', value, { prefix: 'host', secure: true, path: '/' })`",
    },
    hsts: '`app.use(secureHeaders())` (hono/secure-headers sends Strict-Transport-Security)',
  },
  'browser-js': {
    cookie: {
      secure:
        "Add `; Secure`: `document.cookie = 'NAME=' + encodeURIComponent(v) + '; Secure; SameSite=Lax; Path=/'` (js-cookie: `Cookies.set('NAME', v, { secure: true, sameSite: 'lax' })`)",
      httponly: 'Scripts cannot set HttpOnly: set this cookie from the server instead',
      samesite: "Add `; SameSite=Lax` to the cookie string (js-cookie: `sameSite: 'lax'`)",
      domain: 'Drop `; domain=` from the cookie string (js-cookie: the `domain` option)',
      lifetime: 'Drop `; expires=` / `; max-age=` from the cookie string (js-cookie: the `expires` option)',
    },
  },
  'nuxt-auth': {
    cookie: {
      secure:
        "Set `auth: { cookie: { options: { secure: true, sameSite: 'lax' } } }` in nuxt.config (or `cookie: false` to keep the token out of cookies)",
      httponly:
        'Scripts cannot set HttpOnly: @nuxtjs/auth writes the token from the browser; keep the session in a server-set HttpOnly cookie instead',
      samesite: "Set `auth.cookie.options.sameSite: 'lax'` in nuxt.config",
      domain: 'Drop `auth.cookie.options.domain` in nuxt.config',
      lifetime: 'Drop `auth.cookie.options.expires` in nuxt.config (a browser-session cookie)',
    },
  },
  rails: {
    session: {
      secure:
        "Set `config.force_ssl = true` in config/environments/production.rb (marks cookies Secure, redirects to HTTPS, sends HSTS), or pass `secure: true` to `config.session_store :cookie_store, key: '_app_session'`",
      httponly: 'Pass `httponly: true` to `config.session_store` (the default: remove `httponly: false`)',
      samesite: 'Set `config.action_dispatch.cookies_same_site_protection = :lax`',
      domain: 'Remove `domain:` (e.g. `domain: :all`) from `config.session_store`',
      lifetime: 'Remove `expire_after:` from `config.session_store`',
      name: "Use `config.session_store :cookie_store, key: '__Host-app_session', secure: true, path: '/'`",
    },
    remember: {
      secure: 'Set `config.rememberable_options = { secure: true }` in config/initializers/devise.rb',
      httponly:
        'Set `config.rememberable_options = { httponly: true, secure: true }` in config/initializers/devise.rb',
      lifetime: 'The remember-me cookie is persistent by design: keep `config.remember_for` short',
    },
    cookie: {
      secure: 'Set `cookies[:name] = { value: v, secure: true, httponly: true, same_site: :lax }`',
      httponly: 'Set `cookies[:name] = { value: v, httponly: true, secure: true, same_site: :lax }`',
      samesite: 'Pass `same_site: :lax` in the cookies[] hash',
      domain: 'Drop `domain:` from the cookies[] hash',
      lifetime: 'Drop `expires:` from the cookies[] hash (and do not use cookies.permanent)',
    },
    trustProxy:
      'Set `config.assume_ssl = true` (Rails 7.1+) behind a TLS-terminating proxy, together with `config.force_ssl = true`',
    httpsRedirect: 'Set `config.force_ssl = true` in config/environments/production.rb',
    hsts: 'Set `config.force_ssl = true` (it sends HSTS; tune with `config.ssl_options = { hsts: { expires: 1.year, subdomains: true } }`)',
    size: 'The cookie store keeps the whole session in the cookie: store less in `session`, or use a server-side store (e.g. ActiveRecord / Redis session store)',
  },
  // Ruby (issue 13): Rack::Session::Cookie options (rack 2.2 lib/rack/session/abstract/id.rb).
  rack: {
    session: {
      secure:
        "Pass `secure: true`: `use Rack::Session::Cookie, key: 'rack.session', secret: ENV.fetch('SESSION_SECRET'), secure: true, same_site: :lax`",
      httponly: 'Pass `httponly: true` to Rack::Session::Cookie (the default: remove `httponly: false`)',
      samesite: 'Pass `same_site: :lax` to Rack::Session::Cookie',
      domain: 'Drop `domain:` from the Rack::Session::Cookie options',
      lifetime: 'Drop `expire_after:` from the Rack::Session::Cookie options',
      name: "Pass `key: '__Host-session', secure: true, path: '/'` to Rack::Session::Cookie",
    },
    trustProxy:
      'Rack takes the scheme from X-Forwarded-Proto: make sure the TLS-terminating proxy sets (and overwrites) it; ' +
      TRUST_WARNING,
  },
  spring: {
    session: {
      secure:
        'Set `server.servlet.session.cookie.secure=true` in application.properties of the production profile (Spring Session: `DefaultCookieSerializer.setUseSecureCookie(true)`; web.xml: `<cookie-config><secure>true</secure></cookie-config>`)',
      httponly: 'Set `server.servlet.session.cookie.http-only=true`',
      samesite: 'Set `server.servlet.session.cookie.same-site=lax` (Spring Boot 2.6+)',
      domain: 'Remove `server.servlet.session.cookie.domain`',
      lifetime: 'Remove `server.servlet.session.cookie.max-age`',
      name: 'Set `server.servlet.session.cookie.name=__Host-JSESSIONID` with cookie.secure=true and cookie.path=/',
    },
    cookie: {
      secure:
        'Build it with `ResponseCookie.from("NAME", value).secure(true).httpOnly(true).sameSite("Lax").path("/").build()` (servlet Cookie: `cookie.setSecure(true); cookie.setHttpOnly(true);`)',
      httponly:
        'Call `.httpOnly(true)` on the ResponseCookie builder (servlet Cookie: `cookie.setHttpOnly(true)`)',
      samesite: 'Call `.sameSite("Lax")` on the ResponseCookie builder',
      domain: 'Do not call `.domain(...)` / `setDomain(...)`',
      lifetime: 'Do not call `.maxAge(...)` / `setMaxAge(...)` (or pass -1)',
    },
    trustProxy:
      'Set `server.forward-headers-strategy=native` (or `framework`) so Spring honours X-Forwarded-Proto from the proxy',
    httpsRedirect:
      'Spring Security: `http.redirectToHttps(Customizer.withDefaults())` (6.1+; `requiresChannel(c -> c.anyRequest().requiresSecure())` before), or redirect in the proxy',
    hsts: 'Spring Security sends HSTS on HTTPS by default (one year); configure it with `http.headers(h -> h.httpStrictTransportSecurity(hsts -> hsts.maxAgeInSeconds(31536000).includeSubDomains(true)))`',
    sessionIdInUrl:
      'Set `server.servlet.session.tracking-modes=cookie` (web.xml: `<tracking-mode>COOKIE</tracking-mode>`)',
  },
  aspnet: {
    session: {
      secure:
        'Set `options.Cookie.SecurePolicy = CookieSecurePolicy.Always` in AddSession / AddCookie (ASP.NET: `<httpCookies requireSSL="true" />` in web.config)',
      httponly: 'Set `options.Cookie.HttpOnly = true` (ASP.NET: `<httpCookies httpOnlyCookies="true" />`)',
      samesite: 'Set `options.Cookie.SameSite = SameSiteMode.Lax`',
      domain: 'Remove `options.Cookie.Domain`',
      lifetime:
        'Sign in with `IsPersistent = false` (AuthenticationProperties) and do not set `options.Cookie.MaxAge`',
      name: 'Set `options.Cookie.Name = "__Host-session"` with SecurePolicy Always and `options.Cookie.Path = "/"`',
    },
    csrf: {
      secure: 'Set `builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always)`',
      samesite: 'Set `o.Cookie.SameSite = SameSiteMode.Strict` in AddAntiforgery',
    },
    cookie: {
      secure:
        'Pass options: `Response.Cookies.Append("NAME", value, new CookieOptions { Secure = true, HttpOnly = true, SameSite = SameSiteMode.Lax })`',
      httponly: 'Set `HttpOnly = true` in the CookieOptions passed to `Response.Cookies.Append`',
      samesite: 'Set `SameSite = SameSiteMode.Lax` in the CookieOptions',
      domain: 'Leave `Domain` unset in the CookieOptions',
      lifetime: 'Leave `Expires` and `MaxAge` unset in the CookieOptions',
    },
    trustProxy:
      'Add `app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto })` with KnownProxies / KnownNetworks set to your proxy',
    httpsRedirect: 'Add `app.UseHttpsRedirection()`',
    hsts: 'Add `app.UseHsts()` with `builder.Services.AddHsts(o => { o.MaxAge = TimeSpan.FromDays(365); o.IncludeSubDomains = true; })` (the default max-age is 30 days)',
    sessionIdInUrl: 'ASP.NET: set `<sessionState cookieless="UseCookies" />` in web.config',
  },
  go: {
    cookie: {
      secure:
        'Set `Secure: true`: `http.SetCookie(w, &http.Cookie{Name: "NAME", Value: v, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})` (gorilla/sessions: `store.Options = &sessions.Options{Path: "/", Secure: true, HttpOnly: true}`; gin: `c.SetCookie(name, v, maxAge, "/", "", true, true)`)',
      httponly:
        'Set `HttpOnly: true` in the http.Cookie (gorilla/sessions Options.HttpOnly; gin: 7th argument of c.SetCookie)',
      samesite: 'Set `SameSite: http.SameSiteLaxMode` in the http.Cookie',
      domain: 'Leave `Domain` empty in the http.Cookie',
      lifetime: 'Leave `MaxAge` 0 and `Expires` zero in the http.Cookie',
    },
    hsts: 'Set `w.Header().Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")` on HTTPS responses',
  },
  // issue 13 (Java): servlet containers without Spring Boot (web.xml, Tomcat context.xml, servlet code)
  servlet: {
    session: {
      secure:
        'Add `<session-config><cookie-config><secure>true</secure><http-only>true</http-only></cookie-config></session-config>` to WEB-INF/web.xml (or `servletContext.getSessionCookieConfig().setSecure(true)` at startup)',
      httponly:
        'Add `<cookie-config><http-only>true</http-only></cookie-config>` to the `<session-config>` of WEB-INF/web.xml (Tomcat: remove `useHttpOnly="false"` from context.xml)',
      samesite:
        'Tomcat: `<CookieProcessor sameSiteCookies="lax" />` in context.xml; Servlet 6: `<cookie-config><attribute><attribute-name>SameSite</attribute-name><attribute-value>Lax</attribute-value></attribute></cookie-config>`',
      domain:
        'Remove `<domain>` from `<cookie-config>` in web.xml (Tomcat: `sessionCookieDomain` in context.xml)',
      lifetime: 'Remove `<max-age>` from `<cookie-config>` in web.xml',
      name: 'Set `<cookie-config><name>__Host-JSESSIONID</name><secure>true</secure><path>/</path></cookie-config>` in web.xml',
    },
    cookie: {
      secure: 'Call `cookie.setSecure(true); cookie.setHttpOnly(true);` before `response.addCookie(cookie)`',
      httponly: 'Call `cookie.setHttpOnly(true)` before `response.addCookie(cookie)`',
      samesite:
        'Call `cookie.setAttribute("SameSite", "Lax")` (Servlet 6.0+), or write the Set-Cookie header with `; SameSite=Lax`',
      domain: 'Do not call `cookie.setDomain(...)`',
      lifetime: 'Do not call `cookie.setMaxAge(...)` with a positive value',
    },
    trustProxy:
      'Make the container trust X-Forwarded-Proto from your proxy: Tomcat `<Valve className="org.apache.catalina.valves.RemoteIpValve" />` in server.xml; Jetty: the `http-forwarded` module (ForwardedRequestCustomizer)',
    sessionIdInUrl: 'Set `<tracking-mode>COOKIE</tracking-mode>` in the `<session-config>` of web.xml',
  },
  // Go libraries (issue 13, i13-go). Sources: gin context.go SetCookie / SetSameSite; echo Context.SetCookie;
  // gorilla/sessions 1.2 store.go and options.go; gin-contrib/sessions Options; alexedwards/scs v2 session.go
  // SessionCookie; gorilla/csrf options.go (Secure, HttpOnly, SameSite, CookieName).
  gin: {
    cookie: {
      secure: 'Pass `true` as the 6th argument: `c.SetCookie("NAME", v, maxAge, "/", "", true, true)`',
      httponly: 'Pass `true` as the 7th argument of `c.SetCookie(...)`',
      samesite: 'Call `c.SetSameSite(http.SameSiteLaxMode)` before `c.SetCookie(...)`',
      domain: 'Pass `""` as the domain (5th argument) of `c.SetCookie(...)`',
      lifetime: 'Pass `0` as maxAge (3rd argument) of `c.SetCookie(...)`',
    },
    hsts: 'Set `c.Header("Strict-Transport-Security", "max-age=31536000; includeSubDomains")` in a middleware on HTTPS responses',
  },
  echo: {
    cookie: {
      secure:
        'Set `Secure: true` in the cookie given to `c.SetCookie(&http.Cookie{Name: "NAME", Value: v, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})`',
      httponly: 'Set `HttpOnly: true` in the http.Cookie given to `c.SetCookie`',
      samesite: 'Set `SameSite: http.SameSiteLaxMode` in the http.Cookie given to `c.SetCookie`',
      domain: 'Leave `Domain` empty in the http.Cookie',
      lifetime: 'Leave `MaxAge` 0 and `Expires` zero in the http.Cookie',
    },
    hsts: 'Use `e.Use(middleware.SecureWithConfig(middleware.SecureConfig{HSTSMaxAge: 31536000}))`',
  },
  'gorilla-sessions': {
    session: {
      secure:
        'Set `store.Options = &sessions.Options{Path: "/", MaxAge: 86400 * 7, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode}` (or `store.Options.Secure = true`)',
      httponly: 'Set `store.Options.HttpOnly = true` (the store default is false)',
      samesite: 'Set `store.Options.SameSite = http.SameSiteLaxMode`',
      domain: "Leave `Domain` empty in the store's sessions.Options",
      lifetime:
        'Set `store.Options.MaxAge = 0` for a cookie that ends with the browser session (the store default is 30 days)',
      name: 'Get the session as `store.Get(r, "__Host-NAME")` with `Secure: true` and `Path: "/"` in the store\'s Options',
    },
  },
  'gin-sessions': {
    session: {
      secure:
        'Call `store.Options(sessions.Options{Path: "/", MaxAge: 86400 * 7, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})` (gin-contrib/sessions)',
      httponly: 'Set `HttpOnly: true` in `store.Options(sessions.Options{...})`',
      samesite: 'Set `SameSite: http.SameSiteLaxMode` in `store.Options(sessions.Options{...})`',
      domain: 'Leave `Domain` empty in `store.Options(sessions.Options{...})`',
      lifetime:
        'Set `MaxAge: 0` in `store.Options(sessions.Options{...})` (the cookie store default is 30 days)',
    },
  },
  scs: {
    session: {
      secure: 'Set `sessionManager.Cookie.Secure = true` (alexedwards/scs: the default is false)',
      httponly: 'Set `sessionManager.Cookie.HttpOnly = true` (the scs default)',
      samesite: 'Set `sessionManager.Cookie.SameSite = http.SameSiteLaxMode` (the scs default)',
      domain: 'Leave `sessionManager.Cookie.Domain` empty',
      lifetime: 'Set `sessionManager.Cookie.Persist = false` for a cookie that ends with the browser session',
      name: 'Set `sessionManager.Cookie.Name = "__Host-session"` with `Secure = true` and `Path = "/"`',
    },
  },
  'gorilla-csrf': {
    cookie: {
      secure: 'Remove `csrf.Secure(false)` from `csrf.Protect(...)` (gorilla/csrf sets Secure by default)',
      httponly: 'Remove `csrf.HttpOnly(false)` from `csrf.Protect(...)`',
    },
    csrf: {
      secure: 'Remove `csrf.Secure(false)` from `csrf.Protect(...)` (gorilla/csrf sets Secure by default)',
      httponly: 'Remove `csrf.HttpOnly(false)` from `csrf.Protect(...)`',
      samesite: 'Pass `csrf.SameSite(csrf.SameSiteLaxMode)` to `csrf.Protect(...)`',
      domain: 'Remove `csrf.Domain(...)` from `csrf.Protect(...)`',
      lifetime: 'Pass `csrf.MaxAge(0)` for a CSRF cookie that ends with the browser session',
    },
  },
};

const REMEMBER = /remember/i;
/** A name that cannot be put into a code sample as is. */
const NOT_NAMEABLE = /[\s'"`\\$]/;

const SESSION_ONLY = new Set([
  'express-session',
  'cookie-session',
  'koa-session',
  'next-auth',
  'iron-session',
]);
const COOKIE_ONLY = new Set(['express', 'koa', 'next', 'hono', 'browser-js', 'nuxt-auth', 'go']);

/** Calls that write one cookie (PHP setcookie(), Python set_cookie / a raw header / a SimpleCookie morsel / dump_cookie). */
const DIRECT_COOKIE_APIS = new Set([
  'setcookie',
  'setrawcookie',
  'header',
  'set_cookie',
  'SimpleCookie',
  'dump_cookie',
  'Response.Cookies.Append', // ASP.NET Core (issue 13)
  // Java (issue 13): javax/jakarta Cookie, Spring ResponseCookie, a Set-Cookie header written by hand
  'servlet-cookie',
  'response-cookie',
  'set-cookie-header',
  // Rails (issue 13): cookies[:name] = { ... } and response.set_cookie
  'cookies',
  'response.set_cookie',
]);

/**
 * Which knob decides the cookie: the framework's session settings (its own session cookie, or an
 * attribute at the framework's default), its CSRF or remember-me settings, or the call that set it.
 */
export function cookieKind(c: CookieObservation): CookieKind {
  const fw = cookieFramework(c);
  if (c.classification.category === 'csrf') return 'csrf';
  // A cookie the code sets itself (PHP setcookie()/setrawcookie()/header()) is fixed at that call,
  // not in the session settings, whatever its name.
  if (c.api !== undefined && DIRECT_COOKIE_APIS.has(c.api)) return 'cookie';
  if (REMEMBER.test(c.name)) return 'remember';
  if (c.setBy === 'script') return 'cookie';
  if (fw !== undefined && COOKIE_ONLY.has(fw)) return 'cookie';
  if (fw !== undefined && SESSION_ONLY.has(fw)) return 'session';
  if (c.classification.category === 'session' && c.classification.framework !== undefined) return 'session';
  const attrs = [c.secure, c.httpOnly, c.sameSite, c.domain, c.path];
  if (attrs.some((a) => a?.provenance.kind === 'framework-default')) return 'session';
  return 'cookie';
}

export type CookieAttribute = keyof AttrAdvice;

/** The framework's advice for one attribute of a cookie, falling back to generic advice. */
export function attributeFix(
  attribute: CookieAttribute,
  framework: string | undefined,
  kind: CookieKind,
): string {
  const fw = framework !== undefined ? ADVICE[framework] : undefined;
  if (fw) {
    const order: (keyof FrameworkAdvice)[] =
      kind === 'remember' || kind === 'csrf'
        ? [kind, 'session', 'cookie']
        : kind === 'session'
          ? ['session', 'cookie']
          : ['cookie', 'session'];
    for (const k of order) {
      const a = fw[k] as AttrAdvice | undefined;
      if (a?.[attribute]) return a[attribute]!;
    }
    // flask-login's session cookie is Flask's.
    if (framework === 'flask-login')
      return attributeFix(attribute, 'flask', kind === 'remember' ? 'session' : kind);
  }
  return GENERIC.cookie[attribute];
}

/** Advice for one attribute of this cookie, in the framework that produced it. */
export function cookieAttributeFix(attribute: CookieAttribute, c: CookieObservation): string {
  const advice = attributeFix(attribute, cookieFramework(c), cookieKind(c));
  // Name the cookie in code samples (`res.cookie('NAME', …)` → `res.cookie('theme', …)`).
  if (c.name === '' || NOT_NAMEABLE.test(c.name)) return advice;
  // The same few cookies get the same advice over and over in a run: name it once per name.
  const key = `${c.prefix ?? ''}\u0000${c.name}`;
  let named = namedAdvice.get(advice);
  if (named === undefined) namedAdvice.set(advice, (named = new Map()));
  let text = named.get(key);
  if (text === undefined) {
    const base = c.prefix !== null ? c.name.slice(c.prefix.length) : c.name;
    text = advice.replace(/__Host-NAME\b/g, `__Host-${base}`).replace(/\bNAME\b/g, c.name);
    if (named.size >= MAX_NAMED) named.clear();
    named.set(key, text);
  }
  return text;
}

/** Advice text → prefix and cookie name → the advice naming that cookie (bounded per advice text). */
const namedAdvice = new Map<string, Map<string, string>>();
const MAX_NAMED = 256;

export type SiteTopic = 'trustProxy' | 'httpsRedirect' | 'hsts' | 'sessionIdInUrl' | 'size';

/** Site-level advice (proxy trust, HTTPS redirect, HSTS, session ids in URLs, cookie size) for a framework. */
export function siteFix(topic: SiteTopic, framework: string | undefined | null): string {
  const fw = framework ? ADVICE[framework] : undefined;
  if (fw?.[topic]) return fw[topic]!;
  // Frameworks whose proxy trust is Express's.
  if (topic === 'trustProxy' && (framework === 'next' || framework === 'next-auth')) {
    return GENERIC.trustProxy + " (Next.js behind a custom Express server: `app.set('trust proxy', 1)`)";
  }
  if (topic === 'trustProxy' && framework === 'flask-login') return ADVICE.flask!.trustProxy!;
  if (topic === 'hsts' && (framework === 'express-session' || framework === 'cookie-session'))
    return ADVICE.express!.hsts!;
  if (topic === 'httpsRedirect' && (framework === 'express-session' || framework === 'cookie-session'))
    return ADVICE.express!.httpsRedirect!;
  return GENERIC[topic];
}

/** Frameworks for which fix advice exists (tests check every framework id has some). */
export function frameworksWithAdvice(): string[] {
  return Object.keys(ADVICE);
}

// --- session-not-renewed-on-login (check --login) --------------------------------------------
// Sources: Django 3.2-5.x django/contrib/auth/__init__.py login() calls request.session.cycle_key()
// (read in Debian's python3-django 3.2.25); express-session README "Session.regenerate(callback)"
// and its user-login example (node_modules/express-session); php.net session_regenerate_id(bool
// $delete_old_session); Flask-Session 0.7.0 session_interface.regenerate(session)
// (pallets-eco/flask-session PR #27); Flask's default session is a signed cookie whose value
// changes whenever its content does; OWASP Session Management Cheat Sheet, "Renew the Session ID
// After Any Privilege Level Change".
const SESSION_RENEWAL: Record<string, string> = {
  django:
    "Log users in with django.contrib.auth.login(request, user), which calls request.session.cycle_key(); a custom login view or backend that sets request.session['_auth_user_id'] itself must call request.session.cycle_key() first",
  flask:
    'Clear the session before logging in (`session.clear()` then `login_user(user)`); with a server-side session (Flask-Session 0.7+), also give it a new id: `app.session_interface.regenerate(session)`',
  'flask-login':
    'Clear the session before logging in (`session.clear()` then `login_user(user)`); with a server-side session (Flask-Session 0.7+), also give it a new id: `app.session_interface.regenerate(session)`',
  express:
    "Regenerate the session when the user logs in: `req.session.regenerate((err) => { if (err) return next(err); req.session.user = user.id; req.session.save(() => res.redirect('/')); })`",
  'express-session':
    "Regenerate the session when the user logs in: `req.session.regenerate((err) => { if (err) return next(err); req.session.user = user.id; req.session.save(() => res.redirect('/')); })`",
  php: 'Call `session_regenerate_id(true);` right after the credentials are verified and before writing the user into $_SESSION (and set `session.use_strict_mode = 1` so that ids the server never issued are refused)',
  laravel:
    'Call `$request->session()->regenerate();` after Auth::attempt() succeeds (the starter kits do it in their login controller)',
  symfony:
    "Keep the security firewall's session_fixation_strategy at `migrate` (the default); a hand-written login must call `$request->getSession()->migrate(true)`",
  spring:
    "Keep Spring Security's session fixation protection on (`sessionManagement().sessionFixation().changeSessionId()`, the default); a hand-written login must call `request.changeSessionId()`",
  rails: 'Call `reset_session` before setting the user id in the session at login (Devise does it for you)',
};

/** Advice for session-not-renewed-on-login in the framework that set the session cookie. */
export function sessionRenewalFix(framework: string | undefined | null): string {
  return (
    (framework ? SESSION_RENEWAL[framework] : undefined) ??
    'Give the session a new identifier when the user logs in (and on any privilege change): create a new session, copy what must survive, and invalidate the old id on the server'
  );
}
