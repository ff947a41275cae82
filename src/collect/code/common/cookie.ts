/**
 * Cookie attributes as browsers read them, for the resolvers of every language: the name prefix, a
 * SameSite keyword, and a persistent lifetime with the 400-day cap.
 */
import type { CodeLocation, CookieLifetime, SameSiteValue } from '../../../model/observation.js';

/** Browsers cap a cookie's lifetime at 400 days (RFC 6265bis §5.5). */
export const MAX_COOKIE_SECONDS = 400 * 86400;

/** The `__Secure-` / `__Host-` prefix of a cookie name (matched in any case, as browsers do). */
export function prefixOf(name: string): '__Secure-' | '__Host-' | null {
  const l = name.toLowerCase();
  if (l.startsWith('__secure-')) return '__Secure-';
  if (l.startsWith('__host-')) return '__Host-';
  return null;
}

/** A written SameSite value (RFC 6265bis §5.6.7): Lax, Strict or None in any case; anything else is invalid. */
export function sameSiteKeyword(value: string): SameSiteValue {
  const l = value.toLowerCase();
  return l === 'lax' || l === 'strict' || l === 'none' ? l : 'invalid';
}

/** A lifetime of `seconds`, marked capped when browsers shorten it; `at` (where it is decided) is spread in as given. */
export function persistentLifetime(
  seconds: number,
  at: { location?: CodeLocation; evidence?: string } = {},
): CookieLifetime {
  return { kind: 'persistent', seconds, ...(seconds > MAX_COOKIE_SECONDS ? { capped: true } : {}), ...at };
}
