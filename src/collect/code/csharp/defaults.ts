/**
 * ASP.NET defaults. There is no .NET runtime on this machine: every value below is taken from the
 * framework's source and documentation, cited per entry.
 *
 * ASP.NET Core (dotnet/aspnetcore, the same values from 2.1 to 9.0 unless said otherwise):
 * - SessionOptions.Cookie (src/Middleware/Session/src/SessionOptions.cs, SessionCookieBuilder):
 *   Name `.AspNetCore.Session` (SessionDefaults.CookieName), Path `/`, SecurePolicy None,
 *   SameSite Lax, HttpOnly true.
 * - CookieAuthenticationOptions.Cookie (src/Security/Authentication/Cookies/src/
 *   CookieAuthenticationOptions.cs): SameSite Lax, HttpOnly true, SecurePolicy SameAsRequest; the
 *   name is `.AspNetCore.` + the scheme (PostConfigureCookieAuthenticationOptions; the default scheme
 *   CookieAuthenticationDefaults.AuthenticationScheme is `Cookies`, ASP.NET Core Identity's
 *   IdentityConstants.ApplicationScheme `Identity.Application`). ExpireTimeSpan 14 days; the cookie
 *   is persistent only when signed in with IsPersistent.
 * - AntiforgeryOptions.Cookie (src/Antiforgery/src/AntiforgeryOptions.cs): SameSite Strict,
 *   HttpOnly true, SecurePolicy None, name `.AspNetCore.Antiforgery.` + a hash of the app.
 * - CookieOptions (src/Http/Http.Features/src/CookieOptions.cs) for Response.Cookies.Append:
 *   Secure false, HttpOnly false, Path `/`, SameSite Unspecified (not written) from 3.1 on; 2.x had
 *   SameSite Lax (the Nov 2019 SameSite change, docs "Work with SameSite cookies in ASP.NET Core").
 * - CookiePolicyOptions (src/Security/CookiePolicy/src/CookiePolicyOptions.cs): Secure None,
 *   HttpOnly None, MinimumSameSitePolicy Unspecified; the policy only applies where
 *   `app.UseCookiePolicy()` runs, and only raises (Always / SameAsRequest Secure, HttpOnly Always,
 *   a SameSite at least the minimum) (CookiePolicy/src/ResponseCookiesWrapper.cs).
 * - HstsOptions.MaxAge 30 days (src/Middleware/HttpsPolicy/src/HstsOptions.cs), localhost excluded.
 * - ForwardedHeadersOptions.ForwardedHeaders None, KnownProxies loopback only (docs "Configure
 *   ASP.NET Core to work with proxy servers and load balancers"); ASPNETCORE_FORWARDEDHEADERS_ENABLED
 *   =true turns on X-Forwarded-For and X-Forwarded-Proto with any proxy trusted (same page).
 * - Hosting environment: ASPNETCORE_ENVIRONMENT (or DOTNET_ENVIRONMENT), Production when unset
 *   (docs "Use multiple environments in ASP.NET Core").
 *
 * Classic ASP.NET (System.Web, .NET Framework 2.0 to 4.8.1; docs "httpCookies Element", "forms
 * Element for authentication", "sessionState Element"):
 * - `<httpCookies requireSSL="false" httpOnlyCookies="false">`: every HttpCookie (so the session
 *   cookie) gets these; `<forms requireSSL="false" cookieless="UseDeviceProfile" name=".ASPXAUTH">`
 *   (the forms ticket's Secure comes from forms requireSSL only, its HttpOnly is always set);
 *   `<sessionState cookieless="UseCookies" cookieName="ASP.NET_SessionId" mode="InProc">`, the
 *   session cookie always HttpOnly (reference source System.Web/State/SessionIDManager.cs).
 */

export const CORE = 'ASP.NET Core';
export const CLASSIC = 'ASP.NET';

export interface BuilderDefaults {
  name: string;
  securePolicy: 'None' | 'SameAsRequest' | 'Always';
  httpOnly: boolean;
  sameSite: 'Lax' | 'Strict' | 'None' | 'Unspecified';
}

export const SESSION_DEFAULTS: BuilderDefaults = {
  name: '.AspNetCore.Session',
  securePolicy: 'None',
  httpOnly: true,
  sameSite: 'Lax',
};

export function authDefaults(scheme: string): BuilderDefaults {
  return { name: `.AspNetCore.${scheme}`, securePolicy: 'SameAsRequest', httpOnly: true, sameSite: 'Lax' };
}

/**
 * A `new CookieBuilder { ... }` assigned to an options' Cookie (src/Http/Http.Abstractions/src/
 * CookieBuilder.cs): SecurePolicy SameAsRequest (the enum's 0), HttpOnly false, SameSite Unspecified;
 * what the options' own builder had is lost.
 */
export const PLAIN_BUILDER: Omit<BuilderDefaults, 'name'> = {
  securePolicy: 'SameAsRequest',
  httpOnly: false,
  sameSite: 'Unspecified',
};

export const ANTIFORGERY_DEFAULTS: BuilderDefaults = {
  name: '.AspNetCore.Antiforgery.<hash>',
  securePolicy: 'None',
  httpOnly: true,
  sameSite: 'Strict',
};

/** CookieOptions' SameSite default: Lax before ASP.NET Core 3.0 (3.1 after the 2019 patch: Unspecified). */
export function cookieOptionsSameSite(major: number | null): 'Lax' | 'Unspecified' {
  return major !== null && major < 3 ? 'Lax' : 'Unspecified';
}

export const HSTS_DEFAULT_MAX_AGE = 30 * 86400;

export const CLASSIC_SESSION_COOKIE = 'ASP.NET_SessionId';
export const CLASSIC_FORMS_COOKIE = '.ASPXAUTH';

/**
 * The ASP.NET Core major version a target framework means: net8.0 → 8, netcoreapp3.1 → 3,
 * netcoreapp2.1 → 2; .NET Framework targets (net48, v4.7.2) → null (not ASP.NET Core by themselves).
 */
export function coreMajorOf(tfm: string | null | undefined): number | null {
  if (!tfm) return null;
  const t = tfm.trim().toLowerCase();
  let m = /^netcoreapp(\d+)\.\d+/.exec(t);
  if (m) return Number(m[1]);
  m = /^net(\d+)\.\d+/.exec(t);
  if (m && Number(m[1]) >= 5) return Number(m[1]);
  return null;
}

/** ASP.NET Core version from a Microsoft.AspNetCore.* package reference (2.x projects), e.g. '2.2.0' → 2. */
export function majorOfPackage(version: string | null | undefined): number | null {
  const m = version ? /^\[?\s*(\d+)\./.exec(version) : null;
  return m ? Number(m[1]) : null;
}
