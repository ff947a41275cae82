/**
 * Which framework produced a response, from what the proxy sees: the cookie's name (framework
 * defaults, src/cookies/classify.ts) and the response's `X-Powered-By` / `Server` headers.
 *
 * Header values (checked in the frameworks' sources):
 * - Express: `X-Powered-By: Express` (express lib/application.js, 'x-powered-by' setting on by default).
 * - PHP: `X-Powered-By: PHP/<version>` (php.ini expose_php=On, the default of php-src).
 * - Next.js: `X-Powered-By: Next.js` (next.config.js poweredByHeader, default true).
 * - ASP.NET: `X-Powered-By: ASP.NET` (IIS); ASP.NET Core's Kestrel: `Server: Kestrel`.
 * - Flask's development server is Werkzeug's: `Server: Werkzeug/<v> Python/<v>`
 *   (werkzeug/serving.py WSGIRequestHandler.server_version).
 * - Django's runserver: `Server: WSGIServer/0.2 CPython/<v>` (django/core/servers/basehttp.py builds
 *   on wsgiref.simple_server, whose server_version is "WSGIServer/0.2").
 * - uvicorn (Starlette / FastAPI): `Server: uvicorn` (uvicorn/config.py server_header, default on).
 */
import { frameworkForCookieName } from '../cookies/classify.js';

export interface FrameworkGuess {
  /** Framework id of src/model/frameworks.ts. */
  framework: string;
  /** What pointed to it, for the log: `cookie name connect.sid`, `X-Powered-By: Express` ... */
  from: string;
}

export interface ResponseHints {
  poweredBy?: string | undefined;
  server?: string | undefined;
}

const HEADER_VALUE_MAX = 60;

function shown(v: string): string {
  const clean = v.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > HEADER_VALUE_MAX ? clean.slice(0, HEADER_VALUE_MAX) + '…' : clean;
}

/** The framework the response headers point to, if any. */
export function frameworkFromHeaders(h: ResponseHints): FrameworkGuess | undefined {
  const pb = h.poweredBy?.trim();
  if (pb) {
    const from = `X-Powered-By: ${shown(pb)}`;
    if (/^express\b/i.test(pb)) return { framework: 'express', from };
    if (/^php\//i.test(pb)) return { framework: 'php', from };
    if (/\bnext\.js\b/i.test(pb)) return { framework: 'next', from };
    if (/^asp\.net\b/i.test(pb)) return { framework: 'aspnet', from };
  }
  const sv = h.server?.trim();
  if (sv) {
    const from = `Server: ${shown(sv)}`;
    if (/^werkzeug\//i.test(sv)) return { framework: 'flask', from };
    if (/^wsgiserver\/[\d.]+ cpython\//i.test(sv)) return { framework: 'django', from };
    if (/^uvicorn\b/i.test(sv)) return { framework: 'starlette', from };
    if (/^kestrel\b/i.test(sv)) return { framework: 'aspnet', from };
  }
  return undefined;
}

/** A cookie named `session` is the default of several frameworks: the server headers decide which. */
const SESSION_BY_SERVER: Record<string, string> = {
  express: 'cookie-session',
  flask: 'flask',
  starlette: 'starlette',
};

/**
 * The framework that set a cookie: its name when the name is a framework default, else the
 * response headers (a `session` cookie from Express is cookie-session's).
 */
export function frameworkForCookie(name: string, h: ResponseHints): FrameworkGuess | undefined {
  const byName = frameworkForCookieName(name);
  if (byName) return { framework: byName, from: `cookie name ${shown(name)}` };
  const byHeaders = frameworkFromHeaders(h);
  if (!byHeaders) return undefined;
  const bare = name.replace(/^__(secure|host)-/i, '');
  if (bare === 'session' && SESSION_BY_SERVER[byHeaders.framework]) {
    return { framework: SESSION_BY_SERVER[byHeaders.framework]!, from: byHeaders.from };
  }
  return byHeaders;
}
