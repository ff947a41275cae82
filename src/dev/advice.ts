/**
 * What the proxy can say about an app that does not see HTTPS behind it.
 *
 * Whether a session cookie's Secure flag can follow the request's scheme (so that an app which does
 * not trust X-Forwarded-Proto drops it behind a TLS-terminating proxy) depends on the framework
 * (/work/shared/knowledge/framework-settings.md, checked in source where noted):
 * - follows the request: express-session `cookie.secure: 'auto'` (express-session index.js:
 *   `req.secure` decides; without 'trust proxy' Express ignores X-Forwarded-Proto), cookie-session
 *   (cookies module: secure defaults to the request being HTTPS), Koa ctx.cookies / koa-session
 *   (`secure: ctx.request.secure`, `app.proxy` decides whether X-Forwarded-Proto counts), Fastify
 *   @fastify/session `'auto'`, Laravel 11.21+ (`secure` unset follows the request), Symfony
 *   `cookie_secure: auto` (the recipe's value), ASP.NET Core `CookieSecurePolicy.SameAsRequest`,
 *   Tomcat/Spring (JSESSIONID is Secure when the request is), Rails `force_ssl` with `assume_ssl`,
 *   and PHP code that derives `session.cookie_secure` from `$_SERVER['HTTPS']`.
 * - fixed by configuration, whatever the request: Flask `SESSION_COOKIE_SECURE` (flask/sessions.py
 *   get_cookie_secure reads the config only), Flask-Login `REMEMBER_COOKIE_SECURE`, Django
 *   `SESSION_COOKIE_SECURE` (django/contrib/sessions/middleware.py reads settings), Starlette
 *   `SessionMiddleware(https_only=...)`, iron-session, NextAuth (follows NEXTAUTH_URL, not the
 *   request), Next.js / Hono / Go cookies (explicit options). For these a missing Secure is the
 *   setting, and the app's trust in the proxy matters for redirects and absolute URLs only.
 */

export type SecureSource = 'request' | 'config';

const CONFIG_ONLY = new Set([
  'flask',
  'flask-login',
  'django',
  'starlette',
  'iron-session',
  'next-auth',
  'next',
  'hono',
  'go',
  'browser-js',
]);

/** Whether a missing Secure on this framework's cookie can come from the app not trusting its proxy. */
export function secureSource(framework: string | undefined): SecureSource {
  return framework !== undefined && CONFIG_ONLY.has(framework) ? 'config' : 'request';
}

/** Said with every trust-proxy snippet (knowledge/user-pains.md item 1). */
export const TRUST_WARNING =
  'Trust exactly the proxies in front of the app: trusting every client (e.g. `trust proxy` = true on a ' +
  'server reachable without the proxy) lets anyone send X-Forwarded-Proto: https and be treated as HTTPS.';

/**
 * Extra, development-specific lines for frameworks whose production advice (src/rules/fixes.ts
 * siteFix('trustProxy')) does not fit an app run behind `cookieguard dev` on the same machine.
 */
const DEV_SNIPPETS: Record<string, string> = {
  // php -S or php-fpm without a web server that sets HTTPS: the app itself reads the header, from
  // the local proxy only.
  php:
    "Behind `cookieguard dev` (php -S), before session_start(): `if (($_SERVER['HTTP_X_FORWARDED_PROTO'] ?? '') === 'https' " +
    "&& in_array($_SERVER['REMOTE_ADDR'] ?? '', ['127.0.0.1', '::1'], true)) { $_SERVER['HTTPS'] = 'on'; }`",
  laravel:
    "Behind `cookieguard dev`: `$middleware->trustProxies(at: ['127.0.0.1', '::1'])` in bootstrap/app.php (Laravel 11+)",
  symfony:
    "Behind `cookieguard dev`: `framework.trusted_proxies: '127.0.0.1,::1'` and `trusted_headers: ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port']`",
  express:
    "`app.set('trust proxy', 'loopback')` trusts only proxies on this machine, such as `cookieguard dev`",
  'express-session':
    "`app.set('trust proxy', 'loopback')` trusts only proxies on this machine, such as `cookieguard dev`",
  'cookie-session':
    "`app.set('trust proxy', 'loopback')` trusts only proxies on this machine, such as `cookieguard dev`",
  fastify: "`Fastify({ trustProxy: '127.0.0.1' })` trusts only the local proxy",
  django:
    "Set it in the development settings too when you use `cookieguard dev`: Django's runserver is reachable only through the proxy on loopback",
  starlette: 'Behind `cookieguard dev`: `uvicorn app:app --proxy-headers --forwarded-allow-ips=127.0.0.1`',
};

export function devSnippet(framework: string | undefined): string | undefined {
  return framework !== undefined ? DEV_SNIPPETS[framework] : undefined;
}
