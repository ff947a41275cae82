/**
 * Cookie defaults of the JavaScript libraries, each checked in the library's own source at the version
 * noted. "auto" = the flag follows the request's scheme, which behind a TLS-terminating proxy depends on
 * trusting the proxy's X-Forwarded-Proto.
 */
import type { CookieLifetime, SameSiteValue, SecureValue } from '../../../model/observation.js';

export interface ApiDefaults {
  /** Observation framework id (src/model/frameworks.ts). */
  framework: string;
  /** npm package and the version whose source was read. */
  library: string;
  version: string;
  /** Where the defaults are decided (repository path). */
  source: string;
  name?: string;
  secure: SecureValue;
  httpOnly: boolean;
  sameSite: SameSiteValue;
  path?: string;
  lifetime: CookieLifetime;
  /** Unit of numeric maxAge options. */
  maxAgeUnit: 'ms' | 's' | 'days';
  /** Option key prefix of the cookie options ('cookie.' for express-session). */
  prefix: string;
  /** Accepts secure: 'auto'. */
  autoAware: boolean;
  /** Why the default Secure value is what it is (shown in provenance notes). */
  secureNote: string;
}

const SESSION = { kind: 'session' } as const;

/** Session middlewares, by `api` of the session-enabled fact. */
export const SESSION_DEFAULTS: Record<string, ApiDefaults> = {
  // expressjs/session 1.19.0: index.js `var name = opts.name || opts.key || 'connect.sid'`;
  // session/cookie.js: `this.path = '/'; this.maxAge = null; this.httpOnly = true` (no secure, no sameSite);
  // `secure: 'auto'` and `sameSite: 'auto'` follow issecure(req, trustProxy).
  'express-session': {
    framework: 'express-session',
    library: 'express-session',
    version: '1.19.0',
    source: 'expressjs/session index.js, session/cookie.js',
    name: 'connect.sid',
    secure: false,
    httpOnly: true,
    sameSite: 'unset',
    path: '/',
    lifetime: SESSION,
    maxAgeUnit: 'ms',
    prefix: 'cookie.',
    autoAware: true,
    secureNote: 'express-session sets no Secure unless cookie.secure is given (session/cookie.js)',
  },
  // expressjs/cookie-session 2.1.1 index.js: name 'session', `if (opts.httpOnly == null) opts.httpOnly = true`,
  // `new Cookies(req, res, { keys })` without `secure`; pillarjs/cookies 0.9.1 index.js: Secure defaults to
  // `req.protocol === 'https' || isRequestEncrypted(req)`, and an explicit secure: true over a request seen
  // as HTTP throws 'Cannot send secure cookie over unencrypted connection'.
  'cookie-session': {
    framework: 'cookie-session',
    library: 'cookie-session',
    version: '2.1.1',
    source: 'expressjs/cookie-session index.js, pillarjs/cookies index.js (0.9.1)',
    name: 'session',
    secure: 'auto',
    httpOnly: true,
    sameSite: 'unset',
    path: '/',
    lifetime: SESSION,
    maxAgeUnit: 'ms',
    prefix: '',
    autoAware: false,
    secureNote: "cookie-session lets the cookies module follow the request's scheme (req.protocol)",
  },
  // koajs/session 7.0.2 src/index.ts: key 'koa.sess', httpOnly defaults to true, secure optional (then Koa's
  // ctx.cookies decides: `secure: this.request.secure`, koa lib/context.js 3.x). Lifetime: the documented
  // one-day maxAge only bounds the session data (src/context.ts save(): `maxAge = opts.maxAge ? opts.maxAge :
  // ONE_DAY` goes into `_expire`), while the cookie is written with `opts`, whose maxAge stays undefined: no
  // Expires, a browser-session cookie. Proved by the framework truth matrix (test/frameworks, koa-session 7.0.2,
  // koa 3.3.0: `Set-Cookie: koa.sess=…; path=/; httponly`); an explicit maxAge number does set Expires.
  'koa-session': {
    framework: 'koa-session',
    library: 'koa-session',
    version: '7.0.2',
    source: 'koajs/session src/index.ts, koajs/koa lib/context.js, pillarjs/cookies index.js',
    name: 'koa.sess',
    secure: 'auto',
    httpOnly: true,
    sameSite: 'unset',
    path: '/',
    lifetime: SESSION, // was { kind: 'persistent', seconds: 86400 }: see above (koa-session 7.0.2)
    maxAgeUnit: 'ms',
    prefix: '',
    autoAware: false,
    secureNote: "Koa's cookies follow ctx.request.secure (X-Forwarded-Proto only with app.proxy = true)",
  },
  // fastify/session 11.1.2 index.js ensureDefaults: cookieName 'sessionId', `opts.cookie.secure = option(opts.cookie,
  // 'secure', true)`; lib/cookie.js: path '/', httpOnly true unless given, sameSite null, 'auto' follows the
  // request; a Secure cookie is not sent when request.protocol !== 'https'.
  '@fastify/session': {
    framework: 'fastify',
    library: '@fastify/session',
    version: '11.1.2',
    source: 'fastify/session index.js, lib/cookie.js',
    name: 'sessionId',
    secure: true,
    httpOnly: true,
    sameSite: 'unset',
    path: '/',
    lifetime: SESSION,
    maxAgeUnit: 'ms',
    prefix: 'cookie.',
    autoAware: true,
    secureNote: '@fastify/session defaults cookie.secure to true',
  },
  // fastify/fastify-secure-session 8.3.0 index.js: cookieName = cookieName || sessionName || 'session',
  // httpOnly defaults to true, cookie written with reply.setCookie (@fastify/cookie 11.0.2 plugin.js:
  // `Object.assign({ sameSite: 'lax' }, options)`, no Secure unless given, 'auto' follows the request).
  '@fastify/secure-session': {
    framework: 'fastify',
    library: '@fastify/secure-session',
    version: '8.3.0',
    source: 'fastify/fastify-secure-session index.js, fastify/fastify-cookie plugin.js (11.0.2)',
    name: 'session',
    secure: false,
    httpOnly: true,
    sameSite: 'lax',
    lifetime: SESSION,
    maxAgeUnit: 's',
    prefix: 'cookie.',
    autoAware: true,
    secureNote: '@fastify/secure-session sets no Secure unless cookie.secure is given',
  },
  // vvo/iron-session 8.0.4 src/core.ts: defaultOptions.cookieOptions = { httpOnly: true, secure: true,
  // sameSite: 'lax', path: '/' }, ttl 14 days (maxAge = ttl - 60 s); cookieName is required.
  'iron-session': {
    framework: 'iron-session',
    library: 'iron-session',
    version: '8.0.4',
    source: 'vvo/iron-session src/core.ts',
    secure: true,
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    lifetime: { kind: 'persistent', seconds: 14 * 24 * 3600 - 60 },
    maxAgeUnit: 's',
    prefix: 'cookieOptions.',
    autoAware: false,
    secureNote: 'iron-session defaults cookieOptions.secure to true',
  },
  // nextauthjs/next-auth: v4 packages/next-auth/src/core/lib/cookie.ts defaultCookies(useSecureCookies) and
  // v5 / @auth/core packages/core/src/lib/init.ts `authOptions.useSecureCookies ?? url.protocol === "https:"`
  // with packages/core/src/lib/utils/cookie.ts: session token httpOnly, sameSite 'lax', path '/',
  // secure and the __Secure- prefix when useSecureCookies; session maxAge 30 days.
  'next-auth': {
    framework: 'next-auth',
    library: 'next-auth',
    version: '4.x / 5 (@auth/core)',
    source: 'nextauthjs/next-auth packages/next-auth/src/core/lib/cookie.ts, packages/core/src/lib/init.ts',
    secure: 'auto',
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    lifetime: { kind: 'persistent', seconds: 30 * 24 * 3600 },
    maxAgeUnit: 's',
    prefix: 'cookies.sessionToken.options.',
    autoAware: false,
    secureNote: 'NextAuth sets Secure when the site URL (NEXTAUTH_URL / AUTH_URL, else the request) is https',
  },
};

/** APIs that set one cookie, by `api` of the cookie-set fact. */
export const SET_DEFAULTS: Record<string, ApiDefaults> = {
  // expressjs/express lib/response.js res.cookie (4.21 / 5.1): `if (opts.path == null) opts.path = '/'`,
  // maxAge in milliseconds, then cookie.serialize: no Secure, no HttpOnly, no SameSite unless given.
  'res.cookie': {
    framework: 'express',
    library: 'express',
    version: '4.21 / 5.1',
    source: 'expressjs/express lib/response.js',
    secure: false,
    httpOnly: false,
    sameSite: 'unset',
    path: '/',
    lifetime: SESSION,
    maxAgeUnit: 'ms',
    prefix: '',
    autoAware: false,
    secureNote: 'res.cookie sets no Secure unless secure: true is given',
  },
  // fastify/fastify-cookie 11.0.2 plugin.js fastifyCookieSetCookie: sameSite 'lax' unless given, 'auto' follows
  // request.protocol, otherwise no Secure / HttpOnly unless given; maxAge in seconds (cookie.serialize).
  'reply.setCookie': {
    framework: 'fastify',
    library: '@fastify/cookie',
    version: '11.0.2',
    source: 'fastify/fastify-cookie plugin.js',
    secure: false,
    httpOnly: false,
    sameSite: 'lax',
    lifetime: SESSION,
    maxAgeUnit: 's',
    prefix: '',
    autoAware: true,
    secureNote: 'reply.setCookie sets no Secure unless secure is given',
  },
  // pillarjs/cookies 0.9.1 index.js (Koa's ctx.cookies, koa lib/context.js 3.x): Cookie.prototype.httpOnly = true,
  // path '/', Secure follows the request (`secure: this.request.secure`); maxAge in ms.
  'ctx.cookies.set': {
    framework: 'koa',
    library: 'cookies',
    version: '0.9.1',
    source: 'pillarjs/cookies index.js, koajs/koa lib/context.js',
    secure: 'auto',
    httpOnly: true,
    sameSite: 'unset',
    path: '/',
    lifetime: SESSION,
    maxAgeUnit: 'ms',
    prefix: '',
    autoAware: false,
    secureNote: "Koa's ctx.cookies follows ctx.request.secure (X-Forwarded-Proto only with app.proxy = true)",
  },
  // Next.js cookies().set / NextResponse.cookies.set (@edge-runtime/cookies ResponseCookies, bundled in
  // next 14 / 15): normalizeCookie only defaults path to '/'; maxAge in seconds.
  'cookies().set': {
    framework: 'next',
    library: 'next',
    version: '14 / 15 (@edge-runtime/cookies)',
    source: 'vercel/edge-runtime packages/cookies/src/response-cookies.ts',
    secure: false,
    httpOnly: false,
    sameSite: 'unset',
    path: '/',
    lifetime: SESSION,
    maxAgeUnit: 's',
    prefix: '',
    autoAware: false,
    secureNote: 'Next.js sets no Secure unless secure: true is given',
  },
  // honojs/hono src/helper/cookie/index.ts setCookie: `{ path: '/', ...opt }`; prefix 'secure' / 'host' forces
  // Secure (and Path=/ without Domain for host); src/utils/cookie.ts throws for prefix violations.
  setCookie: {
    framework: 'hono',
    library: 'hono',
    version: '4.x',
    source: 'honojs/hono src/helper/cookie/index.ts, src/utils/cookie.ts',
    secure: false,
    httpOnly: false,
    sameSite: 'unset',
    path: '/',
    lifetime: SESSION,
    maxAgeUnit: 's',
    prefix: '',
    autoAware: false,
    secureNote: "Hono's setCookie sets no Secure unless secure: true or a prefix is given",
  },
  // jshttp/cookie serialize: attributes only when given; maxAge in seconds.
  'cookie.serialize': {
    framework: 'express',
    library: 'cookie',
    version: '0.7 / 1.0',
    source: 'jshttp/cookie index.js',
    secure: false,
    httpOnly: false,
    sameSite: 'unset',
    lifetime: SESSION,
    maxAgeUnit: 's',
    prefix: '',
    autoAware: false,
    secureNote: 'cookie.serialize writes Secure only when secure is given',
  },
  'Set-Cookie header': {
    framework: 'express',
    library: 'node:http',
    version: '',
    source: 'RFC 6265bis',
    secure: false,
    httpOnly: false,
    sameSite: 'unset',
    lifetime: SESSION,
    maxAgeUnit: 's',
    prefix: '',
    autoAware: false,
    secureNote: 'the header has no Secure attribute',
  },
  'document.cookie': {
    framework: 'browser-js',
    library: 'document.cookie',
    version: '',
    source: 'RFC 6265bis, HTML document.cookie',
    secure: false,
    httpOnly: false,
    sameSite: 'unset',
    lifetime: SESSION,
    maxAgeUnit: 's',
    prefix: '',
    autoAware: false,
    secureNote: 'the cookie string has no Secure attribute',
  },
  // js-cookie 3.x src/api.mjs: defaultAttributes { path: '/' }, expires in days, no Secure / SameSite unless given.
  'js-cookie': {
    framework: 'browser-js',
    library: 'js-cookie',
    version: '3.0',
    source: 'js-cookie/js-cookie src/api.mjs',
    secure: false,
    httpOnly: false,
    sameSite: 'unset',
    path: '/',
    lifetime: SESSION,
    maxAgeUnit: 'days',
    prefix: '',
    autoAware: false,
    secureNote: 'js-cookie sets no Secure unless secure: true is given',
  },
  'jquery.cookie': {
    framework: 'browser-js',
    library: 'jquery.cookie',
    version: '1.4',
    source: 'carhartl/jquery-cookie src/jquery.cookie.js',
    secure: false,
    httpOnly: false,
    sameSite: 'unset',
    lifetime: SESSION,
    maxAgeUnit: 'days',
    prefix: '',
    autoAware: false,
    secureNote: '$.cookie sets no Secure unless secure: true is given',
  },
  // universal-cookie (react-cookie): document.cookie = cookie.serialize(name, value, options); no defaults.
  'universal-cookie': {
    framework: 'browser-js',
    library: 'universal-cookie',
    version: '7.x',
    source: 'bendotcodes/cookies packages/universal-cookie/src/Cookies.ts',
    secure: false,
    httpOnly: false,
    sameSite: 'unset',
    lifetime: SESSION,
    maxAgeUnit: 's',
    prefix: '',
    autoAware: false,
    secureNote: 'universal-cookie sets no Secure unless secure: true is given',
  },
  // salemdar/ngx-cookie (also republished as ngy-cookie) CookieService.put / putObject: options merged over
  // CookieModule.forRoot(options) and CookieOptionsProvider's defaults { path: APP_BASE_HREF or '/', domain: null,
  // expires: null, secure: false, sameSite: false }; the writer adds ';secure' only when options.secure is true.
  // expires is a Date or a date string.
  'ngx-cookie': {
    framework: 'browser-js',
    library: 'ngx-cookie',
    version: '6.x',
    source:
      'salemdar/ngx-cookie projects/ngx-cookie/src/lib/cookie-options.provider.ts, cookie-writer.service.ts',
    secure: false,
    httpOnly: false,
    sameSite: 'unset',
    path: '/',
    lifetime: SESSION,
    maxAgeUnit: 's',
    prefix: '',
    autoAware: false,
    secureNote: 'ngx-cookie writes Secure only when secure: true is given to put() or CookieModule.forRoot()',
  },
  // @nuxtjs/auth(-next) storage: cookie.serialize(`${prefix}${key}`, value, { path: '/', ...cookie.options });
  // expires in days (a number) or a Date; no Secure unless options.secure.
  'nuxt-auth': {
    framework: 'nuxt-auth',
    library: '@nuxtjs/auth',
    version: '5.x',
    source: 'nuxt-community/auth-module src/core/storage.ts, src/options.ts',
    secure: false,
    httpOnly: false,
    sameSite: 'unset',
    path: '/',
    lifetime: SESSION,
    maxAgeUnit: 'days',
    prefix: '',
    autoAware: false,
    secureNote:
      '@nuxtjs/auth writes its token cookie with Secure only when auth.cookie.options.secure is true',
  },
  // stevermeister/ngx-cookie-service cookie.service.ts set(): sameSite defaults to 'Lax'; sameSite 'None'
  // forces secure; expires is a number of days or a Date.
  'ngx-cookie-service': {
    framework: 'browser-js',
    library: 'ngx-cookie-service',
    version: '17+',
    source: 'stevermeister/ngx-cookie-service projects/ngx-cookie-service/src/lib/cookie.service.ts',
    secure: false,
    httpOnly: false,
    sameSite: 'lax',
    lifetime: SESSION,
    maxAgeUnit: 'days',
    prefix: '',
    autoAware: false,
    secureNote: 'CookieService.set writes Secure only when secure is true or sameSite is None',
  },
};
