/**
 * Framework defaults the Python resolvers fall back on, each verified in the framework's source and
 * checked by test/scan-python/defaults-oracle.test.ts against the packages Debian bookworm ships
 * (run with /usr/bin/python3):
 *
 * - Flask 2.2.2: flask/app.py `Flask.default_config` (SESSION_COOKIE_*). Unchanged through
 *   Flask 3.1 except the later SESSION_COOKIE_PARTITIONED (off).
 * - Werkzeug 2.2.2: werkzeug/sansio/response.py `Response.set_cookie(key, value='', max_age=None,
 *   expires=None, path='/', domain=None, secure=False, httponly=False, samesite=None)`.
 * - Flask-Login 0.6.2: flask_login/config.py COOKIE_NAME 'remember_token', COOKIE_SECURE False,
 *   COOKIE_HTTPONLY True (since 0.6.0, "Change remember_me cookie to HttpOnly", CHANGES 0.6.0,
 *   2022-03-30; False before), COOKIE_SAMESITE None, COOKIE_DURATION 365 days; domain and path
 *   are read with config.get (None, '/') in flask_login/login_manager.py _set_cookie.
 * - Django 3.2.25: django/conf/global_settings.py (same values in 4.x and 5.x; SameSite 'Lax'
 *   defaults since 2.1) and django/http/response.py `HttpResponseBase.set_cookie(key, value='',
 *   max_age=None, expires=None, path='/', domain=None, secure=False, httponly=False, samesite=None)`.
 * - Starlette 0.26.1: starlette/middleware/sessions.py `SessionMiddleware(app, secret_key,
 *   session_cookie='session', max_age=14 days, same_site='lax', https_only=False)`, flags
 *   'httponly; samesite=...' always and '; secure' only with https_only; starlette/responses.py
 *   `Response.set_cookie(..., secure=False, httponly=False, samesite='lax')`.
 */
import type { PyVal } from './expr.js';

export const VERSIONS = {
  flask: '2.2.2',
  werkzeug: '2.2.2',
  flaskLogin: '0.6.2',
  django: '3.2.25',
  starlette: '0.26.1',
} as const;

export const FLASK_DEFAULTS: Record<string, PyVal> = {
  SESSION_COOKIE_NAME: 'session',
  SESSION_COOKIE_SECURE: false,
  SESSION_COOKIE_HTTPONLY: true,
  SESSION_COOKIE_SAMESITE: null,
  SESSION_COOKIE_DOMAIN: null,
  SESSION_COOKIE_PATH: null,
  // None: Flask reads FLASK_DEBUG when the app runs (flask/app.py default_config).
  DEBUG: null,
  TESTING: false,
};

export const FLASK_LOGIN_DEFAULTS: Record<string, PyVal> = {
  REMEMBER_COOKIE_NAME: 'remember_token',
  REMEMBER_COOKIE_SECURE: false,
  REMEMBER_COOKIE_HTTPONLY: true,
  REMEMBER_COOKIE_SAMESITE: null,
  REMEMBER_COOKIE_DOMAIN: null,
  REMEMBER_COOKIE_PATH: '/',
};

/** Flask-Login before 0.6.0 did not set HttpOnly on the remember cookie. */
export const FLASK_LOGIN_HTTPONLY_SINCE: [number, number, number] = [0, 6, 0];

/** 365 days (flask_login/config.py COOKIE_DURATION = timedelta(days=365)). */
export const FLASK_LOGIN_DURATION = 365 * 24 * 60 * 60;

export const DJANGO_DEFAULTS: Record<string, PyVal> = {
  DEBUG: false,
  SESSION_COOKIE_NAME: 'sessionid',
  SESSION_COOKIE_AGE: 1209600,
  SESSION_COOKIE_DOMAIN: null,
  SESSION_COOKIE_SECURE: false,
  SESSION_COOKIE_PATH: '/',
  SESSION_COOKIE_HTTPONLY: true,
  SESSION_COOKIE_SAMESITE: 'Lax',
  SESSION_EXPIRE_AT_BROWSER_CLOSE: false,
  CSRF_COOKIE_NAME: 'csrftoken',
  CSRF_COOKIE_AGE: 31449600,
  CSRF_COOKIE_DOMAIN: null,
  CSRF_COOKIE_PATH: '/',
  CSRF_COOKIE_SECURE: false,
  CSRF_COOKIE_HTTPONLY: false,
  CSRF_COOKIE_SAMESITE: 'Lax',
  CSRF_USE_SESSIONS: false,
  LANGUAGE_COOKIE_NAME: 'django_language',
  LANGUAGE_COOKIE_AGE: null,
  LANGUAGE_COOKIE_DOMAIN: null,
  LANGUAGE_COOKIE_PATH: '/',
  LANGUAGE_COOKIE_SECURE: false,
  LANGUAGE_COOKIE_HTTPONLY: false,
  LANGUAGE_COOKIE_SAMESITE: null,
  SECURE_SSL_REDIRECT: false,
  SECURE_HSTS_SECONDS: 0,
  SECURE_HSTS_INCLUDE_SUBDOMAINS: false,
  SECURE_HSTS_PRELOAD: false,
  SECURE_PROXY_SSL_HEADER: null,
  USE_X_FORWARDED_HOST: false,
  USE_X_FORWARDED_PORT: false,
  MIDDLEWARE: [],
  INSTALLED_APPS: [],
};

export const STARLETTE_SESSION_DEFAULTS: Record<string, PyVal> = {
  session_cookie: 'session',
  max_age: 14 * 24 * 60 * 60,
  path: '/',
  same_site: 'lax',
  https_only: false,
  domain: null,
};

/** Defaults of `set_cookie` per framework (see the file comment). */
export const SET_COOKIE_DEFAULTS: Record<'flask' | 'django' | 'starlette', Record<string, PyVal>> = {
  flask: { path: '/', secure: false, httponly: false, samesite: null },
  django: { path: '/', secure: false, httponly: false, samesite: null },
  starlette: { path: '/', secure: false, httponly: false, samesite: 'lax' },
};

export const SET_COOKIE_VERSION: Record<'flask' | 'django' | 'starlette', string> = {
  flask: `Werkzeug ${VERSIONS.werkzeug}`,
  django: VERSIONS.django,
  starlette: VERSIONS.starlette,
};

/** Flask's PERMANENT_SESSION_LIFETIME default: timedelta(days=31) (flask/app.py default_config, 2.2.2). */
export const FLASK_PERMANENT_LIFETIME = 31 * 86400;
