/** The corpus scorer's pairing and counting (realworld/score.ts): what `npm run realworld` reports rests on it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addScore,
  cookieMatches,
  emptyTotals,
  ratios,
  scoreProject,
  TruthError,
  validateTruth,
  type ReportedFinding,
} from '../../realworld/score.js';

const commit = 'a'.repeat(40);

const truth = validateTruth(
  {
    project: 'demo',
    repo: 'someone/demo',
    commit,
    language: 'python',
    findings: [
      {
        id: 'session',
        rule: 'cookie-missing-secure',
        severity: 'high',
        cookie: 'session',
        at: [
          { file: 'app/__init__.py', line: 10 },
          { file: 'config.py', line: 3 },
        ],
      },
      {
        id: 'remember',
        rule: 'cookie-missing-secure',
        severity: 'high',
        cookie: 'remember_token',
        at: [{ file: 'app/__init__.py', line: 10 }],
      },
      {
        id: 'wp',
        rule: 'cookie-secure-env-dependent',
        rules: ['cookie-missing-secure'],
        severity: 'medium',
        cookie: 'wordpress_logged_in_*',
        at: [{ file: 'wp.php', line: 50 }],
      },
      {
        id: 'persist',
        rule: 'session-cookie-persistent',
        severity: 'low',
        cookie: 'session',
        optional: true,
        at: [{ file: 'config.py', line: 7 }],
      },
    ],
    unresolved: [{ setting: 'SESSION_COOKIE_SECURE', at: [{ file: 'settings.py', line: 4 }] }],
    traps: [
      {
        at: { file: 'app/routes.py', line: 20 },
        why: 'a deletion',
        not: { rule: 'cookie-missing-secure', cookie: 'remember_token' },
      },
    ],
  },
  'demo.yaml',
);

function f(
  rule: string,
  severity: ReportedFinding['severity'],
  cookie: string | null,
  file: string,
  line: number,
): ReportedFinding {
  return { rule, severity, cookie, message: `${rule} ${cookie}`, location: { file, line } };
}

test('a finding matches by rule, cookie and a location within two lines of any accepted one', () => {
  const s = scoreProject(truth, [
    f('cookie-missing-secure', 'high', 'session', 'config.py', 5),
    f('cookie-missing-secure', 'high', 'REMEMBER_TOKEN', 'app/__init__.py', 8),
    f('cookie-missing-secure', 'high', 'wordpress_logged_in_<COOKIEHASH>', 'wp.php', 51),
  ]);
  assert.equal(s.expected.length, 3);
  assert.deepEqual(
    s.found.map((p) => p.truth.id),
    ['session', 'remember', 'wp'],
  );
  assert.equal(s.missed.length, 0);
  assert.equal(s.falseAlarms.length, 0);
  assert.equal(s.severityDiffs.length, 1, 'wp: truth medium, reported high');
});

test('three lines away, another file, another rule or another cookie is no match', () => {
  const s = scoreProject(truth, [
    f('cookie-missing-secure', 'high', 'session', 'config.py', 6),
    f('cookie-missing-secure', 'high', 'remember_token', 'app/other.py', 10),
    f('cookie-missing-httponly', 'medium', 'session', 'app/__init__.py', 10),
    f('cookie-secure-env-dependent', 'medium', 'wordpress_sec_*', 'wp.php', 50),
  ]);
  assert.equal(s.found.length, 0);
  assert.deepEqual(
    s.missed.map((m) => m.truth.id),
    ['session', 'remember', 'wp'],
  );
  assert.equal(s.falseAlarms.length, 4);
});

test('a required high entry found only at low is a miss, and the low finding is not an alarm', () => {
  const s = scoreProject(truth, [f('cookie-missing-secure', 'low', 'session', 'app/__init__.py', 10)]);
  assert.equal(s.found.length, 0);
  assert.equal(s.missed[0]!.truth.id, 'session');
  assert.equal(s.missed[0]!.reportedAs?.severity, 'low');
  assert.equal(s.falseAlarms.length, 0);
  assert.equal(s.matched.length, 1);
});

test('a duplicate of a matched finding is an alarm; an optional entry is neither missed nor an alarm', () => {
  const s = scoreProject(truth, [
    f('cookie-missing-secure', 'high', 'session', 'app/__init__.py', 10),
    f('cookie-missing-secure', 'high', 'session', 'config.py', 3),
    f('session-cookie-persistent', 'low', 'session', 'config.py', 7),
  ]);
  assert.equal(s.found.length, 1);
  assert.equal(s.falseAlarms.length, 1);
  assert.equal(s.matched.length, 2);
  assert.equal(s.reportedCount, 3);
});

test('a high finding is paired with the required entry before a low one can take it', () => {
  const s = scoreProject(truth, [
    f('cookie-missing-secure', 'low', 'session', 'config.py', 3),
    f('cookie-missing-secure', 'high', 'session', 'app/__init__.py', 10),
  ]);
  assert.equal(s.found.length, 1);
  assert.equal(s.found[0]!.reported.severity, 'high');
  assert.equal(s.falseAlarms.length, 1);
  assert.equal(s.falseAlarms[0]!.reported.severity, 'low');
});

test('an alarm at a trap names the trap; info findings are never alarms', () => {
  const s = scoreProject(truth, [
    f('cookie-missing-secure', 'high', 'remember_token', 'app/routes.py', 21),
    f('cookie-missing-secure', 'info', 'session', 'tests/test_app.py', 3),
  ]);
  assert.equal(s.falseAlarms.length, 1);
  assert.equal(s.falseAlarms[0]!.trap?.why, 'a deletion');
  assert.equal(s.reportedCount, 1);
});

test('unresolved entries are paired with cookie-config-unresolved findings by location', () => {
  const s = scoreProject(truth, [
    f('cookie-config-unresolved', 'info', 'session', 'settings.py', 5),
    f('cookie-config-unresolved', 'info', 'csrftoken', 'other.py', 1),
  ]);
  assert.deepEqual(
    s.unresolved.map((u) => u.found),
    [true],
  );
  assert.equal(s.extraUnresolved.length, 1);
  assert.equal(s.falseAlarms.length, 0);
});

test('totals: recall over required high/medium entries, precision over findings at low or above', () => {
  const t = emptyTotals();
  addScore(
    t,
    scoreProject(truth, [
      f('cookie-missing-secure', 'high', 'session', 'app/__init__.py', 10),
      f('cookie-missing-httponly', 'medium', 'x', 'a.py', 1),
    ]),
  );
  const r = ratios(t);
  assert.equal(t.expected, 3);
  assert.equal(t.found, 1);
  assert.equal(r.recall, 1 / 3);
  assert.equal(r.precision, 1 / 2);
  assert.equal(r.alarmsPerProject, 1);
});

test('cookie names: case-insensitive, with wildcards on either side, null only for null', () => {
  assert.equal(cookieMatches('PHPSESSID', 'phpsessid'), true);
  assert.equal(cookieMatches('wp_*', 'wp_<hash>'), true);
  assert.equal(cookieMatches('wordpress_*', 'wordpress_logged_in_abc'), true);
  assert.equal(cookieMatches('<app>_session', 'laravel_session'), true);
  // A computed name reported as its code, which may contain `>` (`->`), is one placeholder.
  assert.equal(cookieMatches('e107cookie_as', "<$this->_session_key.'_as'>"), true);
  assert.equal(cookieMatches('sid', '<$a->b>_x'), false);
  assert.equal(cookieMatches('session', 'sessionid'), false);
  assert.equal(cookieMatches(null, null), true);
  assert.equal(cookieMatches(null, 'x'), false);
});

test('a malformed truth file is refused with the field named', () => {
  assert.throws(
    () => validateTruth({ project: 'x', repo: 'a/b', commit: 'abc', language: 'php' }, 'x.yaml'),
    {
      message: /commit must be 40/,
    },
  );
  assert.throws(
    () =>
      validateTruth(
        {
          project: 'x',
          repo: 'a/b',
          commit,
          language: 'php',
          findings: [{ id: 'a', rule: 'r', severity: 'severe', cookie: null, at: [{ file: 'f', line: 1 }] }],
        },
        'x.yaml',
      ),
    (e: unknown) => e instanceof TruthError && /severity must be one of/.test(e.message),
  );
  assert.throws(
    () =>
      validateTruth(
        {
          project: 'x',
          repo: 'a/b',
          commit,
          language: 'php',
          findings: [{ id: 'a', rule: 'r', severity: 'high', cookie: null, at: [{ file: 'f', line: 0 }] }],
        },
        'x.yaml',
      ),
    { message: /line must be a positive integer/ },
  );
});
