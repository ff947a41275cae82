/**
 * One login app as a node:test suite: start it behind nginx, run the real `check --login` against it
 * and assert what the issue asks: the login works through the app's own form and CSRF protection,
 * session-not-renewed-on-login is reported exactly when the app keeps the session id, the cookies the
 * login set are judged with the login as their delivery, the password appears nowhere in the output,
 * and a wrong password is one clear error with exit code 2.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { oneErrorLine, runCli } from '../cli/run.js';
import { collectLogin } from '../../src/collect/login/index.js';
import {
  appMissing,
  PASSWORD,
  startLoginApp,
  type JsonReport,
  type LoginApp,
  type RunningLoginApp,
} from './apps.js';

export interface LoginCase {
  name: string;
  app: LoginApp;
  env?: Record<string, string>;
  /** Path of the login page, e.g. /admin/login/. */
  loginPath: string;
  /** A page that needs the session, checked after the login. */
  accountPath: string;
  /** The form's field names for the user and the password. */
  userField: string;
  passwordField: string;
  /** The session cookie's name. */
  sessionCookie: string;
  /** session-not-renewed-on-login expected. */
  fixation: boolean;
  /** Also run the wrong-password case: how the failure is told. */
  wrongPassword?: RegExp;
}

const CLI_TIMEOUT_MS = 90_000;

export function loginArgs(
  c: LoginCase,
  app: RunningLoginApp,
  password = '${ENV:CG_TEST_LOGIN_PW}',
): string[] {
  return [
    'check',
    `${app.origin}${c.accountPath}`,
    '--login',
    `${app.origin}${c.loginPath}`,
    '--login-field',
    `${c.userField}=alice`,
    '--login-field',
    `${c.passwordField}=${password}`,
    '--ca',
    app.ca.caFile,
    '--http',
    `http://127.0.0.1:${app.appPort}`,
    '--fail-on',
    'none',
    '--timeout',
    '20000',
  ];
}

export function loginSuite(cases: LoginCase[]): void {
  for (const c of cases) {
    const missing = appMissing(c.app);
    describe(c.name, { skip: missing ?? false }, () => {
      let app: RunningLoginApp | null = null;
      before(async () => {
        app = await startLoginApp(c.app, c.env);
      });
      after(async () => {
        if (app) await app.stop();
      });

      test(`check --login ${c.fixation ? 'reports' : 'does not report'} session-not-renewed-on-login`, async () => {
        const r = await runCli([...loginArgs(c, app!), '--format', 'json'], {
          env: { CG_TEST_LOGIN_PW: PASSWORD },
          timeoutMs: CLI_TIMEOUT_MS,
        });
        assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}\n${app!.output().slice(-2000)}`);
        const report = JSON.parse(r.stdout) as JsonReport;
        assert.deepEqual(
          report.errors.filter((e) => /login/i.test(e.message)),
          [],
          JSON.stringify(report.errors),
        );
        const fixation = report.findings.filter((f) => f.rule === 'session-not-renewed-on-login');
        if (c.fixation) {
          assert.equal(fixation.length, 1, JSON.stringify(report.findings, null, 1));
          const f = fixation[0]!;
          assert.equal(f.severity, 'high');
          assert.equal(f.cookie, c.sessionCookie);
          assert.match(f.evidence ?? '', /^POST https:\/\/127\.0\.0\.1:\d+\//);
          assert.match(f.evidence ?? '', new RegExp(c.passwordField));
        } else {
          assert.deepEqual(fixation, [], JSON.stringify(fixation, null, 1));
        }
        assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD), 'the password leaked');
      });

      test(`the session cookie exists before the login and ${c.fixation ? 'keeps' : 'changes'} its value`, async () => {
        const r = await collectLogin(
          `${app!.origin}${c.loginPath}`,
          [
            [c.userField, 'alice'],
            [c.passwordField, PASSWORD],
          ],
          { ca: [app!.ca.caFile], timeoutMs: 20_000 },
        );
        assert.equal(r.failure, null);
        const login = r.observations.find((o) => o.kind === 'login');
        assert.ok(login && login.kind === 'login');
        const session = login.cookies.find((x) => x.name === c.sessionCookie);
        assert.ok(session, JSON.stringify(login.cookies));
        assert.equal(
          session.before,
          true,
          'no session cookie before the login: the comparison proves nothing',
        );
        assert.equal(session.after, true);
        assert.equal(session.sameValue, c.fixation);
        assert.equal(session.classification.category, 'session');
        // The cookies the login set are observations delivered by the login.
        const set = r.observations.filter((o) => o.kind === 'cookie' && o.delivery?.probe === 'login');
        assert.ok(set.length > 0);
        // The session goes on to the checked URLs (HTTPS only).
        const sent = r.session!.cookiesFor(new URL(`${app!.origin}${c.accountPath}`)).map((x) => x.name);
        assert.ok(sent.includes(c.sessionCookie), sent.join(', '));
      });

      if (c.wrongPassword) {
        test('a wrong password is one error line and exit code 2', async () => {
          const wrong = 'Wrong-LEAKCHECK-password-77';
          const r = await runCli(loginArgs(c, app!, wrong), { timeoutMs: CLI_TIMEOUT_MS });
          assert.equal(r.code, 2, r.stderr);
          const line = oneErrorLine(r.stderr);
          assert.ok(line, `not one error line: ${r.stderr}`);
          assert.match(line, c.wrongPassword!);
          assert.ok(!`${r.stdout}${r.stderr}`.includes(wrong), 'the password leaked');
        });
      }
    });
  }
}
