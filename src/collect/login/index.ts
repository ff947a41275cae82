/**
 * The login collector of `check --login`: performs the login over HTTP (perform.ts), turns its
 * outcome into observations (observations.ts) and hands back the session for the live checker
 * (LiveOptions.session: the jar's cookies, sent over HTTPS only).
 */
import type { ReportError } from '../../model/finding.js';
import type { Observation } from '../../model/observation.js';
import { clientFor, prepare, type LiveOptions } from '../live/index.js';
import { parseTargetUrl, type SessionCookies } from '../live/options.js';
import { loginObservations } from './observations.js';
import { performLogin } from './perform.js';
import type { LoginOutcome } from './types.js';

export interface LoginResult {
  outcome: LoginOutcome | null;
  observations: Observation[];
  errors: ReportError[];
  /** The session after a login that worked (null otherwise). */
  session: SessionCookies | null;
  /** Why the login failed: one line without any field value (null when it worked). */
  failure: string | null;
}

/**
 * Log in at `loginUrl` with `fields` (name, value; values are credentials), with the live checker's
 * options (CA files, --insecure, timeout, --cookie / --header for the login host over HTTPS).
 * Never throws for bad input or network trouble.
 */
export async function collectLogin(
  loginUrl: string,
  fields: [string, string][],
  opts: LiveOptions,
): Promise<LoginResult> {
  const failed = (failure: string): LoginResult => ({
    outcome: null,
    observations: [],
    errors: [{ url: loginUrl, message: failure }],
    session: null,
    failure,
  });
  const target = parseTargetUrl(loginUrl);
  if (!target.url) return failed(`--login: ${target.error!}`);
  if (fields.length === 0) return failed('--login needs at least one --login-field NAME=VALUE');
  // The live checker's options, checked as it checks them (CA files, --cookie, --header, bounds).
  const setup = prepare(opts);
  if (setup.errors.length > 0) return failed(setup.errors[0]!);
  const config = setup.config!;
  const client = clientFor(config);
  try {
    const { outcome, session } = await performLogin({
      client,
      loginUrl: target.url,
      fields,
      baseHeaders: config.baseHeaders,
      userCookies: config.userCookies,
      userHeaders: config.userHeaders,
      maxRedirects: config.bounds.maxRedirects,
      maxSetCookies: config.bounds.maxSetCookies,
    });
    const observations = loginObservations(outcome);
    if (!outcome.ok) {
      const failure = outcome.failure ?? 'login failed';
      return { outcome, observations, errors: [{ url: loginUrl, message: failure }], session: null, failure };
    }
    return { outcome, observations, errors: [], session, failure: null };
  } catch (err) {
    // A bug must not print a stack trace or a credential.
    let message = err instanceof Error ? err.message : String(err);
    for (const [, v] of fields) if (v !== '') message = message.split(v).join('<redacted>');
    return failed(`login: internal error: ${message}`);
  } finally {
    await client.close();
  }
}
