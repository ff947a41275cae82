/**
 * `scan --fix` and `scan --fix --dry-run` on a copy of test/fixtures/fix/app (Express, express-session,
 * Django settings and views, plain PHP, php.ini): the dry run changes nothing and its diff applies
 * with `git apply`; the fix changes only what is certain, every changed file still parses with the
 * language's own tool (node --check, php -l, python3 -m py_compile), a new scan no longer reports
 * the fixed findings, and what is left (environment-dependent, test code, express-session without
 * proxy trust) is said on stderr. SARIF carries the same edits as `fixes`.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runCli } from '../cli/run.js';
import { sarifValidator } from '../report/sarif-schema.js';

const FIXTURE = join(repoRoot, 'test', 'fixtures', 'fix', 'app');
const PYTHON = '/usr/bin/python3';

interface JsonFinding {
  rule: string;
  severity: string;
  cookie: string | null;
  location: { file: string; line: number } | null;
  codeFix?: { replacement: string };
}

const key = (f: JsonFinding) => `${f.rule} ${f.cookie} ${f.location?.file}`;

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-fix-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

async function scanJson(dir: string): Promise<JsonFinding[]> {
  const r = await runCli(['scan', dir, '--format', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
}

function snapshot(dir: string): Record<string, string> {
  const files = [
    'web/server.js',
    'api/proxied.js',
    'api/settings.py',
    'api/views.py',
    'legacy/login.php',
    'conf/php.ini',
    'tests/test_login.py',
  ];
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('scan --fix', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('--dry-run: a unified diff that git apply accepts, nothing changed', async () => {
    const dir = copy();
    dirs.push(dir);
    const before = snapshot(dir);
    const r = await runCli(['scan', dir, '--fix', '--dry-run']);
    assert.equal(r.code, 1, 'findings remain that --fix cannot change (express-session without trust proxy)');
    assert.deepEqual(snapshot(dir), before, 'a dry run changes nothing');
    assert.match(r.stdout, /^--- a\/api\/proxied\.js\n\+\+\+ b\/api\/proxied\.js\n@@ /);
    assert.match(r.stdout, /^-SESSION_COOKIE_SECURE = False\n\+SESSION_COOKIE_SECURE = True$/m);
    assert.match(r.stderr, /would fix \d+ findings in 5 files/);
    writeFileSync(join(dir, 'fix.patch'), r.stdout);
    spawnSync('git', ['init', '-q'], { cwd: dir });
    const check = spawnSync('git', ['apply', '--check', 'fix.patch'], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    assert.equal(spawnSync('git', ['apply', 'fix.patch'], { cwd: dir }).status, 0);
    assert.match(readFileSync(join(dir, 'api', 'settings.py'), 'utf8'), /SESSION_COOKIE_SECURE = True/);
  });

  test("a finding the config's ignore list accepts is not changed, and said so on stderr", async () => {
    const dir = copy();
    dirs.push(dir);
    const config = join(dir, 'cookieguard.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        ignore: [{ rule: 'cookie-missing-httponly', file: 'api/settings.py', reason: 'read by a script' }],
      }),
    );
    const r = await runCli(['scan', dir, '--fix', '--dry-run', '--config', config, '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\+SESSION_COOKIE_SECURE = True$/m, 'the rest of the file is fixed');
    assert.doesNotMatch(r.stdout, /^[-+]SESSION_COOKIE_HTTPONLY/m);
    assert.match(
      r.stderr,
      /not fixed: api\/settings\.py:7 cookie-missing-httponly \(sessionid\): accepted by the config's ignore list/,
    );
  });

  test('--fix: certain edits only; files still parse; a new scan no longer reports them', async () => {
    const dir = copy();
    dirs.push(dir);
    const found = await scanJson(dir);
    const fixable = found.filter((f) => f.codeFix);
    assert.ok(fixable.length >= 10, `${fixable.length} findings carry a codeFix`);
    const r = await runCli(['scan', dir, '--fix', '--format', 'json', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /fixed \d+ findings in 5 files: api\/proxied\.js, api\/settings\.py, api\/views\.py, legacy\/login\.php, web\/server\.js/,
    );
    // what is left, and why
    assert.match(
      r.stderr,
      /not fixed: web\/server\.js:6 cookie-missing-secure \(connect\.sid\): express-session .*trust proxy/,
    );
    assert.match(
      r.stderr,
      /not fixed: web\/server\.js:\d+ cookie-secure-env-dependent \(refresh_token\): Secure depends on the environment/,
    );
    assert.match(
      r.stderr,
      /not fixed: tests\/test_login\.py:7 cookie-missing-secure \(sessionid\): test code is left alone/,
    );
    // the report after --fix is the new scan's
    const after = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    const again = await scanJson(dir);
    assert.deepEqual(after.map(key).sort(), again.map(key).sort());
    for (const f of fixable)
      assert.ok(!again.some((g) => key(g) === key(f)), `still reported after --fix: ${key(f)}`);
    assert.ok(again.some((g) => g.cookie === 'connect.sid' && g.rule === 'cookie-missing-secure'));
    assert.ok(again.some((g) => g.cookie === 'refresh_token' && g.rule === 'cookie-secure-env-dependent'));
    // the edits themselves, in the files' own style
    const files = snapshot(dir);
    assert.match(files['web/server.js']!, /\{ secure: true, httpOnly: true, maxAge: 864e5 \}/);
    assert.match(files['web/server.js']!, /sameSite: 'lax', secure: true, httpOnly: true,\n/);
    assert.match(
      files['web/server.js']!,
      /cookie: \{ secure: false \}/,
      'express-session without trust proxy untouched',
    );
    assert.match(files['web/server.js']!, /secure: process\.env\.NODE_ENV === 'production'/);
    assert.match(files['api/proxied.js']!, /cookie: \{ secure: true, httpOnly: true \}/);
    assert.match(files['legacy/login.php']!, /'secure' => true,\n {4}'httponly' => true,/);
    assert.match(files['legacy/login.php']!, /'path' => '\/', 'secure' => true, 'httponly' => true\]\)/);
    assert.match(files['legacy/login.php']!, /time\(\) \+ 3600, '\/', '', true, true\)/);
    assert.match(files['api/views.py']!, /max_age=1209600, secure=True, httponly=True\)/);
    assert.match(files['tests/test_login.py']!, /secure=False/);
    // every changed file parses with its own language's tool
    for (const f of ['web/server.js', 'api/proxied.js']) {
      const c = spawnSync(process.execPath, ['--check', join(dir, f)], { encoding: 'utf8' });
      assert.equal(c.status, 0, `${f}: ${c.stderr}`);
    }
    if (existsSync('/usr/bin/php')) {
      const c = spawnSync('/usr/bin/php', ['-l', join(dir, 'legacy', 'login.php')], { encoding: 'utf8' });
      assert.equal(c.status, 0, c.stdout + c.stderr);
    }
    for (const f of ['api/settings.py', 'api/views.py']) {
      const c = spawnSync(PYTHON, ['-m', 'py_compile', join(dir, f)], { encoding: 'utf8' });
      assert.equal(c.status, 0, `${f}: ${c.stderr}`);
    }
    // a second --fix has nothing left to do
    const twice = await runCli(['scan', dir, '--fix', '--dry-run', '--fail-on', 'none']);
    assert.equal(twice.stdout, '');
    assert.match(twice.stderr, /no finding has a safe mechanical fix/);
  });

  test('php.ini: an Off made On, and PHP reads it so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-fix-ini-'));
    dirs.push(dir);
    writeFileSync(
      join(dir, 'php.ini'),
      '[Session]\nsession.cookie_secure = Off ; set by the installer\nsession.cookie_httponly = 0\n',
    );
    writeFileSync(join(dir, 'index.php'), '<?php\nsession_start();\n');
    const r = await runCli(['scan', dir, '--fix', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    const ini = readFileSync(join(dir, 'php.ini'), 'utf8');
    assert.equal(
      ini,
      '[Session]\nsession.cookie_secure = On ; set by the installer\nsession.cookie_httponly = 1\n',
    );
    if (existsSync('/usr/bin/php')) {
      const c = spawnSync(
        '/usr/bin/php',
        [
          '-n',
          '-c',
          join(dir, 'php.ini'),
          '-r',
          'echo ini_get("session.cookie_secure"), ini_get("session.cookie_httponly");',
        ],
        { encoding: 'utf8' },
      );
      assert.equal(c.stdout, '11', c.stderr);
    }
  });

  test('SARIF offers the same edits as fixes; --dry-run without --fix is an error', async () => {
    const dir = copy();
    dirs.push(dir);
    const r = await runCli(['scan', dir, '--format', 'sarif', '--fail-on', 'none']);
    const sarif = JSON.parse(r.stdout) as {
      runs: {
        results: {
          ruleId: string;
          fixes?: { artifactChanges: { replacements: { insertedContent: { text: string } }[] }[] }[];
        }[];
      }[];
    };
    const v = sarifValidator();
    if ('validate' in v) assert.ok(v.validate(sarif), JSON.stringify(v.validate.errors));
    const withFixes = sarif.runs[0]!.results.filter((x) => x.fixes && x.fixes.length > 0);
    assert.ok(withFixes.length >= 10, `${withFixes.length} results with fixes`);
    const texts = withFixes.flatMap((x) =>
      x.fixes!.flatMap((f) =>
        f.artifactChanges.flatMap((a) => a.replacements.map((p) => p.insertedContent.text)),
      ),
    );
    assert.ok(
      texts.includes('True') && texts.includes(', secure: true') && texts.includes(", 'secure' => true"),
      JSON.stringify(texts),
    );
    const bad = await runCli(['scan', dir, '--dry-run']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^cookieguard: --dry-run goes with --fix/);
  });
});
