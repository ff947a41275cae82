/**
 * The framework truth matrix: what a real cookie client stores from each small framework app
 * (test/fixtures/frameworks/<dir>), directly over plain HTTP and behind a real TLS-terminating nginx,
 * and what `cookieguard scan` and `cookieguard check` must report about the session cookie.
 *
 * The truth columns are what a tough-cookie CookieJar records from the real responses of GET /login
 * (loopback judged like a remote host: `allowSecureOnLocal: false`, as Safari does and as a
 * production host reached over http:// is). They were written from each framework's source at the
 * version given in `tested` and then confirmed by the running apps; the version installed here is
 * read at run time and printed next to it (a difference is reported, and the assertions say whether
 * the framework still behaves as written).
 *
 * Channels:
 * - `direct`:    http://127.0.0.1:APP/login, the app itself over plain HTTP;
 * - `proxied`:   https://127.0.0.1:NGINX/login, nginx terminating TLS and sending
 *                X-Forwarded-Proto: https, X-Forwarded-For and Host;
 * - `forgetful`: the same nginx without `proxy_set_header X-Forwarded-Proto` (a proxy that never
 *                tells the app about HTTPS: the half of the proxy trap that the live probe can see).
 *
 * `scan` and `check` list the rules reported about the session cookie, among RELEVANT_RULES (other
 * findings, such as a settings module without HSTS, are not this matrix's business). `why` says why
 * a tool reports something else than the truth, or nothing, where it cannot see it: the tests print
 * it with t.diagnostic.
 */

export type Runtime =
  | 'php'
  | 'flask'
  | 'django'
  | 'node'
  // Java servlets on Jetty 9.4 (issue 13)
  | 'jetty'
  // Ruby on Rails 6.1 and Rack under WEBrick (issue 13)
  | 'rails'
  // i13-go: Go 1.19 apps built offline in GOPATH mode (Debian golang-go, golang-github-gorilla-sessions-dev)
  | 'go';
/**
 * One test file each (test/frameworks/<group>.test.ts). Small groups: node --test gives each file the
 * runner's --test-timeout (scripts/run-tests.js: 120 s), and a loaded CI machine must stay well inside it.
 */
export type Group =
  | 'php-ini'
  | 'php-code'
  | 'flask'
  | 'django'
  | 'express-secure'
  | 'express-auto'
  | 'express-env'
  | 'fastify'
  | 'koa'
  | 'servlet'
  // Ruby on Rails / Rack (issue 13)
  | 'rails'
  // i13-go
  | 'go';
export type Channel = 'direct' | 'proxied' | 'forgetful';

/** What the cookie jar holds after GET /login on one channel. */
export interface Truth {
  stored: boolean;
  secure?: boolean;
  httpOnly?: boolean;
  /** Has Expires / Max-Age (survives a browser restart). */
  persistent?: boolean;
}

export interface Expect {
  /** Rule ids reported about the session cookie (exactly these, among RELEVANT_RULES). */
  rules: string[];
  /** Why the tool's report differs from (or cannot show) the truth, when it does. */
  why?: string;
}

export interface ScanExpect extends Expect {
  /** Where the decisive finding (the first of `rules`) points: file and a text on that line. */
  at?: { file: string; line: string };
  /** What its message must say (e.g. that the value is the framework's default). */
  says?: RegExp;
}

/** A framework default the variant depends on, with the version whose source and behaviour were checked. */
export interface DefaultNote {
  /** npm package, Python distribution, or 'php'. */
  library: string;
  tested: string;
  what: string;
}

export interface Variant {
  /** Unique id (the fixture directory, plus the environment when one directory runs twice). */
  id: string;
  dir: string;
  group: Group;
  runtime: Runtime;
  /** Environment of the app process. */
  env?: Record<string, string>;
  /** The session cookie's name. */
  cookie: string;
  defaults?: DefaultNote[];
  truth: { direct: Truth; proxied: Truth; forgetful?: Truth };
  scan: ScanExpect;
  check: { proxied: Expect; forgetful?: Expect };
}

/** The cookie rules this matrix judges the tools by. */
export const RELEVANT_RULES = [
  'cookie-missing-secure',
  'cookie-missing-httponly',
  'cookie-secure-env-dependent',
  'cookie-set-over-http',
  'cookie-secure-over-http',
  'cookie-samesite-none-insecure',
  'session-trust-proxy-missing',
  'session-cookie-persistent',
];

// ---------------------------------------------------------------------------------------------
// Shared truths and explanations

const INSECURE: Truth = { stored: true, secure: false, httpOnly: true, persistent: false };
const SECURE: Truth = { stored: true, secure: true, httpOnly: true, persistent: false };
/** A Secure cookie from a plain-HTTP response: browsers (and the jar) refuse it (RFC 6265bis §5.7 step 14). */
const NOTHING: Truth = { stored: false };

const NEVER_SET_LIVE =
  'the app never sends the cookie, with or without X-Forwarded-Proto: https (it does not trust the header), ' +
  'so from outside this page looks exactly like a page that creates no session: no live check can tell ' +
  'the trap from "no session here"; scan sees it in the code';
const AUTO_LIVE =
  'over HTTPS the cookie comes without Secure, and the app ignores X-Forwarded-Proto: https, so the live check ' +
  'sees what it would see for secure: false (cookie-missing-secure, the true consequence) but cannot prove that ' +
  'the cause is the missing proxy trust; scan names it';
const SECURE_OVER_HTTP =
  'the plain-HTTP twin (the app itself) sends the Secure cookie over http://: its value crossed the network in ' +
  'clear (cookie-set-over-http) and browsers refuse it (cookie-secure-over-http), which is why the jar stores nothing there';

/** Jetty 9.4 (Debian jetty9), issue 13. */
const JETTY = (what: string): DefaultNote => ({ library: 'jetty', tested: '9.4', what });

const EXPRESS_SESSION = (what: string): DefaultNote => ({
  library: 'express-session',
  tested: '1.19.0',
  what,
});

// ---------------------------------------------------------------------------------------------

export const VARIANTS: Variant[] = [
  // ------------------------------------------------------------------ PHP (built-in server)
  {
    id: 'php-default',
    dir: 'php-default',
    group: 'php-ini',
    runtime: 'php',
    cookie: 'PHPSESSID',
    defaults: [
      {
        library: 'php',
        tested: '8.2',
        what: 'session.cookie_secure=0, session.cookie_httponly=0 (php-src ext/session/session.c PHP_INI_BEGIN)',
      },
    ],
    truth: {
      direct: { stored: true, secure: false, httpOnly: false, persistent: false },
      proxied: { stored: true, secure: false, httpOnly: false, persistent: false },
    },
    scan: {
      rules: ['cookie-missing-secure', 'cookie-missing-httponly'],
      at: { file: 'public/index.php', line: 'session_start' },
      says: /php's default/,
    },
    check: {
      proxied: { rules: ['cookie-missing-secure', 'cookie-missing-httponly', 'cookie-set-over-http'] },
    },
  },
  {
    id: 'php-ini-off',
    dir: 'php-ini-off',
    group: 'php-ini',
    runtime: 'php',
    cookie: 'PHPSESSID',
    truth: { direct: INSECURE, proxied: INSECURE },
    scan: { rules: ['cookie-missing-secure'], at: { file: 'php.ini', line: 'session.cookie_secure = Off' } },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'] } },
  },
  {
    id: 'php-ini-on',
    dir: 'php-ini-on',
    group: 'php-ini',
    runtime: 'php',
    cookie: 'PHPSESSID',
    // PHP writes `; secure` whatever the request's scheme (ext/session/session.c php_session_send_cookie).
    truth: { direct: NOTHING, proxied: SECURE },
    scan: { rules: [] },
    check: { proxied: { rules: ['cookie-secure-over-http', 'cookie-set-over-http'], why: SECURE_OVER_HTTP } },
  },
  {
    id: 'php-ini-set',
    dir: 'php-ini-set',
    group: 'php-code',
    runtime: 'php',
    cookie: 'PHPSESSID',
    truth: { direct: NOTHING, proxied: SECURE },
    scan: { rules: [] },
    check: { proxied: { rules: ['cookie-secure-over-http', 'cookie-set-over-http'], why: SECURE_OVER_HTTP } },
  },
  {
    id: 'php-cookie-params',
    dir: 'php-cookie-params',
    group: 'php-code',
    runtime: 'php',
    cookie: 'PHPSESSID',
    truth: { direct: NOTHING, proxied: SECURE },
    scan: { rules: [] },
    check: { proxied: { rules: ['cookie-secure-over-http', 'cookie-set-over-http'], why: SECURE_OVER_HTTP } },
  },

  // ------------------------------------------------------------------ Flask (werkzeug server)
  {
    id: 'flask-default',
    dir: 'flask-default',
    group: 'flask',
    runtime: 'flask',
    cookie: 'session',
    defaults: [
      {
        library: 'flask',
        tested: '2.2.2',
        what: 'SESSION_COOKIE_SECURE False, SESSION_COOKIE_HTTPONLY True, non-permanent session (flask/app.py default_config)',
      },
    ],
    truth: { direct: INSECURE, proxied: INSECURE },
    scan: {
      rules: ['cookie-missing-secure'],
      at: { file: 'app.py', line: 'Flask(__name__)' },
      says: /flask [\d.]+'s default/,
    },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'] } },
  },
  {
    id: 'flask-secure',
    dir: 'flask-secure',
    group: 'flask',
    runtime: 'flask',
    cookie: 'session',
    // Flask writes Secure from the config alone (flask/sessions.py SecureCookieSessionInterface.save_session).
    truth: { direct: NOTHING, proxied: SECURE },
    scan: { rules: [] },
    check: { proxied: { rules: ['cookie-secure-over-http', 'cookie-set-over-http'], why: SECURE_OVER_HTTP } },
  },
  {
    id: 'flask-insecure',
    dir: 'flask-insecure',
    group: 'flask',
    runtime: 'flask',
    cookie: 'session',
    truth: { direct: INSECURE, proxied: INSECURE },
    scan: { rules: ['cookie-missing-secure'], at: { file: 'app.py', line: 'SESSION_COOKIE_SECURE=False' } },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'] } },
  },
  {
    id: 'flask-env@production',
    dir: 'flask-env',
    group: 'flask',
    runtime: 'flask',
    env: { APP_ENV: 'production' },
    cookie: 'session',
    truth: { direct: NOTHING, proxied: SECURE },
    scan: {
      rules: ['cookie-secure-env-dependent'],
      at: { file: 'app.py', line: "SESSION_COOKIE_SECURE'] = os.environ" },
      why: 'scan cannot know which environment runs: it reports the condition and the value per environment',
    },
    check: { proxied: { rules: ['cookie-secure-over-http', 'cookie-set-over-http'], why: SECURE_OVER_HTTP } },
  },

  // ------------------------------------------------------------------ Django (runserver)
  {
    id: 'django-default',
    dir: 'django-default',
    group: 'django',
    runtime: 'django',
    cookie: 'sessionid',
    defaults: [
      {
        library: 'django',
        tested: '3.2.25',
        what:
          'SESSION_COOKIE_SECURE False, SESSION_COOKIE_HTTPONLY True, SESSION_COOKIE_AGE two weeks ' +
          '(django/conf/global_settings.py)',
      },
    ],
    truth: {
      direct: { stored: true, secure: false, httpOnly: true, persistent: true },
      proxied: { stored: true, secure: false, httpOnly: true, persistent: true },
    },
    scan: {
      rules: ['cookie-missing-secure', 'session-cookie-persistent'],
      at: { file: 'mysite/settings.py', line: 'sessions.middleware.SessionMiddleware' },
      says: /django [\d.]+'s default/,
    },
    check: {
      proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http', 'session-cookie-persistent'] },
    },
  },
  {
    id: 'django-secure',
    dir: 'django-secure',
    group: 'django',
    runtime: 'django',
    cookie: 'sessionid',
    // Django writes Secure from the setting alone (django/contrib/sessions/middleware.py process_response).
    truth: {
      direct: NOTHING,
      proxied: { stored: true, secure: true, httpOnly: true, persistent: true },
    },
    scan: { rules: ['session-cookie-persistent'] },
    check: {
      proxied: {
        rules: ['cookie-secure-over-http', 'cookie-set-over-http', 'session-cookie-persistent'],
        why: SECURE_OVER_HTTP,
      },
    },
  },
  {
    id: 'django-insecure',
    dir: 'django-insecure',
    group: 'django',
    runtime: 'django',
    cookie: 'sessionid',
    truth: {
      direct: { stored: true, secure: false, httpOnly: true, persistent: true },
      proxied: { stored: true, secure: false, httpOnly: true, persistent: true },
    },
    scan: {
      rules: ['cookie-missing-secure', 'session-cookie-persistent'],
      at: { file: 'mysite/settings.py', line: 'SESSION_COOKIE_SECURE = False' },
    },
    check: {
      proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http', 'session-cookie-persistent'] },
    },
  },
  {
    id: 'django-env@debug',
    dir: 'django-env',
    group: 'django',
    runtime: 'django',
    env: { DJANGO_DEBUG: '1' },
    cookie: 'sessionid',
    truth: {
      direct: { stored: true, secure: false, httpOnly: true, persistent: true },
      proxied: { stored: true, secure: false, httpOnly: true, persistent: true },
    },
    scan: {
      rules: ['cookie-secure-env-dependent', 'session-cookie-persistent'],
      at: { file: 'mysite/settings.py', line: 'SESSION_COOKIE_SECURE = not DEBUG' },
      why: 'scan cannot know which environment runs: it reports the condition and the value per environment',
    },
    check: {
      proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http', 'session-cookie-persistent'] },
    },
  },

  // ------------------------------------------------------------------ Express
  {
    id: 'express-default',
    dir: 'express-default',
    group: 'express-secure',
    runtime: 'node',
    cookie: 'connect.sid',
    defaults: [EXPRESS_SESSION('cookie { path: "/", httpOnly: true, secure: false } (session/cookie.js)')],
    truth: { direct: INSECURE, proxied: INSECURE },
    scan: {
      rules: ['cookie-missing-secure'],
      at: { file: 'app.js', line: 'app.use(' },
      says: /express-session [\d.]+'s default/,
    },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'] } },
  },
  {
    id: 'express-secure-no-trust',
    dir: 'express-secure-no-trust',
    group: 'express-secure',
    runtime: 'node',
    cookie: 'connect.sid',
    defaults: [
      EXPRESS_SESSION(
        "a Secure cookie is not sent unless issecure(req, trustProxy) (index.js): without 'trust proxy', req.secure is false behind a proxy",
      ),
    ],
    truth: { direct: NOTHING, proxied: NOTHING },
    scan: { rules: ['session-trust-proxy-missing'], at: { file: 'app.js', line: 'secure: true' } },
    check: { proxied: { rules: [], why: NEVER_SET_LIVE } },
  },
  {
    id: 'express-secure-trust',
    dir: 'express-secure-trust',
    group: 'express-secure',
    runtime: 'node',
    cookie: 'connect.sid',
    truth: { direct: NOTHING, proxied: SECURE, forgetful: NOTHING },
    scan: { rules: [] },
    check: {
      proxied: { rules: [] },
      forgetful: { rules: ['session-trust-proxy-missing'] },
    },
  },
  {
    id: 'express-auto-no-trust',
    dir: 'express-auto-no-trust',
    group: 'express-auto',
    runtime: 'node',
    cookie: 'connect.sid',
    truth: { direct: INSECURE, proxied: INSECURE },
    // The repository holds nginx/site.conf (proxy_pass): scan knows a TLS-terminating proxy is in front.
    scan: { rules: ['session-trust-proxy-missing'], at: { file: 'app.js', line: "secure: 'auto'" } },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'], why: AUTO_LIVE } },
  },
  {
    id: 'express-auto-trust',
    dir: 'express-auto-trust',
    group: 'express-auto',
    runtime: 'node',
    cookie: 'connect.sid',
    truth: { direct: INSECURE, proxied: SECURE, forgetful: INSECURE },
    scan: {
      rules: [],
      why:
        "'auto' with trust proxy is right behind the proxy; reached directly over http:// the app sends the cookie " +
        'without Secure, which only the live check (cookie-set-over-http on the twin) can see',
    },
    check: {
      proxied: { rules: ['cookie-set-over-http'] },
      forgetful: { rules: ['session-trust-proxy-missing', 'cookie-set-over-http'] },
    },
  },
  {
    id: 'express-env-guard@production',
    dir: 'express-env-guard',
    group: 'express-env',
    runtime: 'node',
    env: { NODE_ENV: 'production' },
    cookie: 'connect.sid',
    truth: { direct: NOTHING, proxied: SECURE },
    scan: {
      rules: ['cookie-secure-env-dependent'],
      at: { file: 'app.js', line: 'sess.cookie.secure = true' },
      why: 'scan cannot know which environment runs: it reports the condition and the value per environment',
    },
    check: { proxied: { rules: [] } },
  },
  {
    id: 'express-env-guard@development',
    dir: 'express-env-guard',
    group: 'express-env',
    runtime: 'node',
    env: { NODE_ENV: 'development' },
    cookie: 'connect.sid',
    truth: { direct: INSECURE, proxied: INSECURE },
    scan: {
      rules: ['cookie-secure-env-dependent'],
      at: { file: 'app.js', line: 'sess.cookie.secure = true' },
      why: 'scan cannot know which environment runs: it reports the condition and the value per environment',
    },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'] } },
  },
  {
    id: 'cookie-session-default',
    dir: 'cookie-session-default',
    group: 'express-auto',
    runtime: 'node',
    cookie: 'session',
    defaults: [
      {
        library: 'cookie-session',
        tested: '2.1.1',
        what: "Secure follows req.protocol (pillarjs/cookies index.js), httpOnly true: behind a proxy without 'trust proxy' no Secure",
      },
    ],
    truth: { direct: INSECURE, proxied: INSECURE },
    scan: {
      rules: [],
      why:
        "cookie-session's Secure follows the request, which is right when the app terminates TLS itself; nothing in this " +
        'repository shows the proxy in front (no nginx config, Procfile or compose file), so scan has no reason to ' +
        'doubt it. The live check sees the consequence',
    },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'], why: AUTO_LIVE } },
  },

  // ------------------------------------------------------------------ Fastify and Koa
  {
    id: 'fastify-default',
    dir: 'fastify-default',
    group: 'fastify',
    runtime: 'node',
    cookie: 'sessionId',
    defaults: [
      {
        library: '@fastify/session',
        tested: '11.1.3',
        what: "cookie.secure defaults to true, and a Secure cookie is not sent when request.protocol !== 'https' (lib/fastifySession.js)",
      },
    ],
    truth: { direct: NOTHING, proxied: NOTHING },
    scan: {
      rules: ['session-trust-proxy-missing'],
      at: { file: 'app.js', line: 'app.register(fastifySession' },
    },
    check: { proxied: { rules: [], why: NEVER_SET_LIVE } },
  },
  {
    id: 'fastify-trust',
    dir: 'fastify-trust',
    group: 'fastify',
    runtime: 'node',
    cookie: 'sessionId',
    truth: { direct: NOTHING, proxied: SECURE, forgetful: NOTHING },
    scan: { rules: [] },
    check: {
      proxied: { rules: [] },
      forgetful: { rules: ['session-trust-proxy-missing'] },
    },
  },
  {
    id: 'koa-default',
    dir: 'koa-default',
    group: 'koa',
    runtime: 'node',
    cookie: 'koa.sess',
    defaults: [
      {
        library: 'koa-session',
        tested: '7.0.2',
        what:
          'Secure follows ctx.request.secure (koa lib/context.js, app.proxy for X-Forwarded-Proto); the cookie has no ' +
          'Expires/Max-Age unless maxAge is given: the one-day default only bounds the session data (_expire)',
      },
    ],
    truth: { direct: INSECURE, proxied: INSECURE },
    // The repository holds nginx/site.conf (proxy_pass): scan knows a TLS-terminating proxy is in front.
    scan: { rules: ['session-trust-proxy-missing'], at: { file: 'app.js', line: 'session(app)' } },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'], why: AUTO_LIVE } },
  },
  {
    id: 'koa-proxy',
    dir: 'koa-proxy',
    group: 'koa',
    runtime: 'node',
    cookie: 'koa.sess',
    truth: { direct: INSECURE, proxied: SECURE, forgetful: INSECURE },
    scan: {
      rules: [],
      why:
        'Secure follows the request and app.proxy = true trusts the proxy: right behind it; reached directly over ' +
        'http:// the app sends the cookie without Secure, which only the live check can see',
    },
    check: {
      proxied: { rules: ['cookie-set-over-http'] },
      forgetful: { rules: ['session-trust-proxy-missing', 'cookie-set-over-http'] },
    },
  },

  // ------------------------------------------------------------------ Java servlets on Jetty 9.4 (issue 13)
  // One JVM serves every variant (test/fixtures/frameworks/jetty-launcher), each on its own port;
  // the pom.xml of each fixture names the jetty-maven-plugin, so scan knows the container.
  {
    id: 'servlet-default',
    dir: 'servlet-default',
    group: 'servlet',
    runtime: 'jetty',
    cookie: 'JSESSIONID',
    defaults: [
      JETTY('SessionHandler: HttpOnly false, Secure only when request.isSecure() (_secureRequestOnly)'),
    ],
    truth: {
      direct: { stored: true, secure: false, httpOnly: false, persistent: false },
      proxied: { stored: true, secure: false, httpOnly: false, persistent: false },
    },
    scan: {
      rules: ['cookie-missing-httponly'],
      at: { file: 'src/main/java/app/LoginServlet.java', line: 'getSession' },
      says: /jetty 9\.4's default/,
      why:
        "Jetty's Secure follows the request, which is right when the container terminates TLS itself or trusts its " +
        'proxy (a jetty.xml outside this repository); nothing here shows a proxy in front, so scan does not doubt it. ' +
        'The live check sees the consequence',
    },
    check: {
      proxied: {
        rules: ['cookie-missing-secure', 'cookie-missing-httponly', 'cookie-set-over-http'],
        why: AUTO_LIVE,
      },
    },
  },
  {
    id: 'servlet-webxml-secure',
    dir: 'servlet-webxml-secure',
    group: 'servlet',
    runtime: 'jetty',
    cookie: 'JSESSIONID',
    // <cookie-config><secure>true</secure>: Jetty writes Secure whatever the request's scheme.
    truth: { direct: NOTHING, proxied: SECURE },
    scan: { rules: [] },
    check: { proxied: { rules: ['cookie-secure-over-http', 'cookie-set-over-http'], why: SECURE_OVER_HTTP } },
  },
  {
    id: 'servlet-listener-secure',
    dir: 'servlet-listener-secure',
    group: 'servlet',
    runtime: 'jetty',
    cookie: 'JSESSIONID',
    truth: { direct: NOTHING, proxied: SECURE },
    scan: { rules: [] },
    check: { proxied: { rules: ['cookie-secure-over-http', 'cookie-set-over-http'], why: SECURE_OVER_HTTP } },
  },
  {
    id: 'servlet-code-cookie',
    dir: 'servlet-code-cookie',
    group: 'servlet',
    runtime: 'jetty',
    cookie: 'sid',
    defaults: [
      {
        library: 'servlet-api',
        tested: '4.0',
        what: 'javax.servlet.http.Cookie is not Secure unless setSecure(true)',
      },
    ],
    truth: { direct: INSECURE, proxied: INSECURE },
    scan: {
      rules: ['cookie-missing-secure'],
      at: { file: 'src/main/java/app/LoginServlet.java', line: 'new Cookie' },
    },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'] } },
  },
  // ------------------------------------------------------------------ Ruby on Rails / Rack (issue 13)
  // One-file apps (config.ru) under rackup + WEBrick, RAILS_ENV=production unless the variant says.
  {
    id: 'rails-default',
    dir: 'rails-default',
    group: 'rails',
    runtime: 'rails',
    env: { RAILS_ENV: 'production' },
    cookie: '_rails_default_session',
    defaults: [
      {
        library: 'rails',
        tested: '6.1.7',
        what:
          'session_store :cookie_store, key: "_#{app_name}_session" (railties finisher.rb); Rack DEFAULT_OPTIONS ' +
          'secure: false, httponly: true (rack session/abstract/id.rb); config.force_ssl false (configuration.rb)',
      },
    ],
    truth: { direct: INSECURE, proxied: INSECURE },
    scan: {
      rules: ['cookie-missing-secure'],
      at: { file: 'config.ru', line: 'class RailsDefault < Rails::Application' },
      says: /rails [\d.]+'s default/,
    },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'] } },
  },
  {
    id: 'rails-force-ssl',
    dir: 'rails-force-ssl',
    group: 'rails',
    runtime: 'rails',
    env: { RAILS_ENV: 'production' },
    cookie: '_rails_force_ssl_session',
    defaults: [
      {
        library: 'rails',
        tested: '6.1.7',
        what:
          'force_ssl: ActionDispatch::SSL redirects http:// (301), sends HSTS, flags cookies secure; the session ' +
          'store gets secure: true (default_middleware_stack.rb)',
      },
    ],
    // Over http:// the app answers 301 to https:// before any session exists.
    truth: { direct: NOTHING, proxied: SECURE },
    scan: { rules: [] },
    check: { proxied: { rules: [] } },
  },
  {
    id: 'rails-secure-store',
    dir: 'rails-secure-store',
    group: 'rails',
    runtime: 'rails',
    env: { RAILS_ENV: 'production' },
    cookie: '_shop_session',
    defaults: [
      {
        library: 'rails',
        tested: '6.1.7',
        what:
          'a secure: true cookie is only written when request.ssl? (CookieJar#write_cookie?, cookies.rb; ' +
          'always_write_cookie is true in development only); Rack 2 takes the scheme from X-Forwarded-Proto',
      },
    ],
    // Unlike Django and PHP, Rails does not send a Secure cookie over http://: nothing crosses in clear.
    truth: { direct: NOTHING, proxied: SECURE, forgetful: NOTHING },
    scan: {
      rules: [],
      why:
        'Rack believes X-Forwarded-Proto from any client, so the session works behind any proxy that sends it; ' +
        'whether the proxy sends it is not in the code',
    },
    check: {
      proxied: { rules: [] },
      // The live probe asks again with X-Forwarded-Proto: https, which Rack believes: the cookie appears.
      forgetful: { rules: ['session-trust-proxy-missing'] },
    },
  },
  {
    id: 'rails-env@development',
    dir: 'rails-env',
    group: 'rails',
    runtime: 'rails',
    env: { RAILS_ENV: 'development' },
    cookie: '_shop_session',
    truth: { direct: INSECURE, proxied: INSECURE },
    scan: {
      rules: ['cookie-secure-env-dependent'],
      at: { file: 'config.ru', line: 'secure: Rails.env.production?' },
      why: 'scan cannot know which environment runs: it reports the condition and the value per environment',
    },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'] } },
  },
  {
    id: 'rack-session',
    dir: 'rack-session',
    group: 'rails',
    runtime: 'rails',
    cookie: 'rack.session',
    defaults: [
      {
        library: 'rack',
        tested: '2.2.22',
        what: 'Rack::Session::Cookie: secure: false, httponly: true, no expire_after (session/abstract/id.rb)',
      },
    ],
    truth: { direct: INSECURE, proxied: INSECURE },
    scan: { rules: ['cookie-missing-secure'], at: { file: 'config.ru', line: 'use Rack::Session::Cookie' } },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'] } },
  },

  // ------------------------------------------------------------------ Go (i13-go): net/http, gorilla/sessions
  {
    id: 'go-nethttp-default',
    dir: 'go-nethttp-default',
    group: 'go',
    runtime: 'go',
    cookie: 'session_id',
    defaults: [
      {
        library: 'go',
        tested: '1.19',
        what: 'http.Cookie zero values: Secure false, SameSite not written, no Expires / Max-Age (net/http/cookie.go)',
      },
    ],
    truth: { direct: INSECURE, proxied: INSECURE },
    scan: {
      rules: ['cookie-missing-secure'],
      at: { file: 'main.go', line: 'http.SetCookie(w, &http.Cookie{' },
      says: /net\/http's default/,
    },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'] } },
  },
  {
    id: 'go-nethttp-secure',
    dir: 'go-nethttp-secure',
    group: 'go',
    runtime: 'go',
    cookie: 'session_id',
    // net/http writes Secure whatever the request's scheme: the app itself sends it over http://.
    truth: { direct: NOTHING, proxied: SECURE },
    scan: { rules: [] },
    check: { proxied: { rules: ['cookie-secure-over-http', 'cookie-set-over-http'], why: SECURE_OVER_HTTP } },
  },
  {
    id: 'go-nethttp-env@production',
    dir: 'go-nethttp-env',
    group: 'go',
    runtime: 'go',
    env: { APP_ENV: 'production' },
    cookie: 'session_id',
    truth: { direct: NOTHING, proxied: SECURE },
    scan: {
      rules: ['cookie-secure-env-dependent'],
      at: { file: 'main.go', line: 'c.Secure = os.Getenv("APP_ENV")' },
      why: 'scan cannot know which environment runs: it reports the condition and the value per environment',
    },
    check: { proxied: { rules: ['cookie-secure-over-http', 'cookie-set-over-http'], why: SECURE_OVER_HTTP } },
  },
  {
    id: 'go-nethttp-env@development',
    dir: 'go-nethttp-env',
    group: 'go',
    runtime: 'go',
    env: { APP_ENV: 'development' },
    cookie: 'session_id',
    truth: { direct: INSECURE, proxied: INSECURE },
    scan: {
      rules: ['cookie-secure-env-dependent'],
      at: { file: 'main.go', line: 'c.Secure = os.Getenv("APP_ENV")' },
      why: 'scan cannot know which environment runs: it reports the condition and the value per environment',
    },
    check: { proxied: { rules: ['cookie-missing-secure', 'cookie-set-over-http'] } },
  },
  {
    id: 'go-gorilla-default',
    dir: 'go-gorilla-default',
    group: 'go',
    runtime: 'go',
    cookie: 'app-session',
    defaults: [
      {
        library: 'gorilla/sessions',
        tested: '1.2.1',
        what: 'NewCookieStore: Options{Path: "/", MaxAge: 86400 * 30}, Secure and HttpOnly false (store.go)',
      },
    ],
    truth: {
      direct: { stored: true, secure: false, httpOnly: false, persistent: true },
      proxied: { stored: true, secure: false, httpOnly: false, persistent: true },
    },
    scan: {
      rules: ['cookie-missing-secure', 'cookie-missing-httponly', 'session-cookie-persistent'],
      at: { file: 'main.go', line: 'sessions.NewCookieStore(' },
      says: /gorilla\/sessions v1\.2\.1's default/,
    },
    check: {
      proxied: {
        rules: [
          'cookie-missing-secure',
          'cookie-missing-httponly',
          'cookie-set-over-http',
          'session-cookie-persistent',
        ],
      },
    },
  },
  {
    id: 'go-gorilla-secure',
    dir: 'go-gorilla-secure',
    group: 'go',
    runtime: 'go',
    cookie: 'app-session',
    // A replaced Options struct: MaxAge left out is 0, a browser-session cookie.
    truth: { direct: NOTHING, proxied: SECURE },
    scan: { rules: [] },
    check: { proxied: { rules: ['cookie-secure-over-http', 'cookie-set-over-http'], why: SECURE_OVER_HTTP } },
  },
];

export function variantsOf(group: Group): Variant[] {
  return VARIANTS.filter((v) => v.group === group);
}
