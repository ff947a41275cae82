/**
 * Rails and Rack defaults that decide the session cookie, by version. Checked in the sources Debian
 * installs (railties / actionpack 6.1.7.10, rack 2.2.22) and in the Rails history where they changed:
 *
 * - Session cookie: `config.session_store :cookie_store, key: "_#{app_name}_session"` when the app sets
 *   none (railties lib/rails/application/finisher.rb, setup_default_session_store); Rack's
 *   Abstract::Persisted DEFAULT_OPTIONS give `secure: false, httponly: true, expire_after: nil`
 *   (rack lib/rack/session/abstract/id.rb); Rack::Session::Cookie's key is `rack.session`.
 * - `config.force_ssl` defaults to false in every version (railties configuration.rb); when true,
 *   ActionDispatch::SSL redirects http:// to https://, sends HSTS and adds `secure` to every
 *   Set-Cookie of an HTTPS response unless `ssl_options: { secure_cookies: false }`, and the session
 *   store gets `secure: true` unless the app passed `secure:` itself (default_middleware_stack.rb).
 *   The production.rb template has it commented out up to Rails 7.0 and on from 7.1; Rails 8's
 *   template also turns on `config.assume_ssl` (7.1+, ActionDispatch::AssumeSSL).
 * - HSTS max-age of ActionDispatch::SSL: 2 years from Rails 6.1 (HSTS_EXPIRES_IN = 63072000,
 *   rails/rails#38345), 1 year in 5.2 and 6.0 (rails/rails#31720), 180 days in 5.0 and 5.1.
 * - `cookies_same_site_protection` (Rails 6.1+): `:lax` under `config.load_defaults 6.1` or later,
 *   nil (no SameSite attribute) otherwise (configuration.rb load_defaults "6.1").
 * - A cookie written with `secure: true` is only sent on an HTTPS request (or when
 *   `always_write_cookie`, true in development): CookieJar#write_cookie? in cookies.rb. Rack 2's
 *   Request#scheme trusts X-Forwarded-Proto from any client, so behind a TLS proxy that sends it the
 *   request counts as HTTPS without further configuration.
 */

/** The Rails version whose sources were read. */
export const RAILS_TESTED = '6.1.7.10';
export const RACK_TESTED = '2.2.22';

/** Rack's Abstract::Persisted DEFAULT_OPTIONS: the Rails cookie store and Rack::Session::Cookie when the app passes neither. */
export const RAILS_SESSION_DEFAULTS = { secure: false, httponly: true } as const;
export const RACK_SESSION_KEY = 'rack.session';

/** Seconds of the default HSTS max-age of ActionDispatch::SSL in a Rails version (unknown version: the current default). */
export function defaultHstsSeconds(version: [number, number] | null): number {
  if (!version) return 63072000;
  const [maj, min] = version;
  if (maj > 6 || (maj === 6 && min >= 1)) return 63072000;
  if (maj === 6 || (maj === 5 && min >= 2)) return 31536000;
  return 15552000;
}

/** Whether `config.load_defaults X` makes cookies SameSite=Lax (6.1 and later). */
export function loadDefaultsSameSite(v: number | string): boolean {
  const n = typeof v === 'number' ? v : Number.parseFloat(v);
  return Number.isFinite(n) && n >= 6.1 - 1e-9;
}
