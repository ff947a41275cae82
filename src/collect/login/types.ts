/**
 * The outcome of a login (`check --login`), whoever performed it: the HTTP login of this folder
 * (perform.ts) or a browser that typed the fields and submitted the form. loginObservations()
 * (observations.ts) turns any outcome into observations, so both are judged by the same rules.
 *
 * Cookie values are kept here, in memory only, to compare them across the login and to send the
 * session on: they never go into an observation other than a cookie observation (whose value is
 * redacted in every report unless --show-values). Field values (credentials) are never kept.
 */

/** A cookie of the login's jar, as a browser would store it. */
export interface JarCookie {
  name: string;
  /** In memory only (compared across the login, sent with the session). */
  value: string;
  /** The host for a host-only cookie, else the Domain attribute (lower case, no leading dot). */
  domain: string;
  path: string;
}

/** One response received during the login, with the Set-Cookie headers it carried. */
export interface LoginResponse {
  /** `page`: fetching the login page (and its redirects); `submit`: the form submission and its redirects. */
  phase: 'page' | 'submit';
  method: 'GET' | 'POST';
  url: string;
  status: number;
  setCookies: string[];
  /** Followed as a redirect. */
  redirect: boolean;
  /** When the response arrived (ms since the epoch). */
  receivedAt: number;
}

export interface LoginOutcome {
  /** The login URL as given. */
  loginUrl: string;
  /** The page the form was found on (after redirects); null when no page came. */
  pageUrl: string | null;
  /** The form's action and method (null when no form was found). */
  action: string | null;
  method: string | null;
  /** Names of the fields the user gave (never their values). */
  fieldNames: string[];
  /** Names of every field submitted (the user's and the page's own, e.g. a CSRF token). */
  submittedFields: string[];
  /** The jar just before the form was submitted, and after the login's last response. */
  before: JarCookie[];
  after: JarCookie[];
  /** Every response, in order. */
  responses: LoginResponse[];
  /** The form's action is http://: the credentials were not sent. */
  insecureForm?: { pageUrl: string; action: string; method: string; hasPassword: boolean };
  /** Where the login ended (the last response's URL). */
  finalUrl: string | null;
  ok: boolean;
  /** Why the login failed (one line, no field value). */
  failure?: string;
}
