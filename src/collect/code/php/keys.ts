/**
 * PHP session ini settings this collector understands, with php-src's built-in defaults
 * (ext/session/session.c PHP_INI_BEGIN block, PHP 8.2; confirmed with `php -n -r 'ini_get(...)'`).
 */
export const SESSION_INI_DEFAULTS: Readonly<Record<string, string>> = {
  'session.cookie_secure': '0',
  'session.cookie_httponly': '0',
  'session.cookie_samesite': '',
  'session.use_strict_mode': '0',
  'session.use_only_cookies': '1',
  'session.use_trans_sid': '0',
  'session.use_cookies': '1',
  'session.cookie_lifetime': '0',
  'session.name': 'PHPSESSID',
  'session.cookie_domain': '',
  'session.cookie_path': '/',
  'session.auto_start': '0',
};

export const SESSION_INI_KEYS: ReadonlySet<string> = new Set(Object.keys(SESSION_INI_DEFAULTS));

/** `session_set_cookie_params()` array keys / named arguments → ini keys (php-src ext/session/session.c). */
export const COOKIE_PARAM_KEYS: Readonly<Record<string, string>> = {
  lifetime: 'session.cookie_lifetime',
  path: 'session.cookie_path',
  domain: 'session.cookie_domain',
  secure: 'session.cookie_secure',
  httponly: 'session.cookie_httponly',
  samesite: 'session.cookie_samesite',
};

/** `session_start(['cookie_secure' => ...])`: option names are ini names without `session.`. */
export function sessionStartOptionKey(option: string): string | null {
  const k = `session.${option}`;
  return SESSION_INI_KEYS.has(k) ? k : null;
}
