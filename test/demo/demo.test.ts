import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Finding, Report } from '../../src/model/finding.js';

const bin = fileURLToPath(new URL('../../../bin/cookieguard.js', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const has = (fs: Finding[], rule: string, cookie: string | null, source: string) =>
  fs.find((f) => f.rule === rule && f.cookie === cookie && f.source === source);

test(
  'demo: one command audits the bundled site from code and on the wire, linked',
  { timeout: 90_000 },
  async () => {
    const r = await run(['demo', '--format', 'json', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(report.errors, []);
    const f = report.findings;

    // code: the env-dependent express-session setting, at its line in demo/site/app.js
    const env = has(f, 'cookie-secure-env-dependent', 'connect.sid', 'code');
    assert.ok(env, 'code finding for connect.sid');
    assert.equal(env.location?.file, 'app.js');
    assert.match(env.evidence ?? '', /NODE_ENV === 'production'/);
    assert.ok(has(f, 'cookie-missing-httponly', 'remember_token', 'code'));

    // live: the same cookie seen without Secure over HTTPS, linked to the code line
    const live = has(f, 'cookie-missing-secure', 'connect.sid', 'live');
    assert.ok(live, 'live finding for connect.sid');
    assert.match(live.url ?? '', /^https:\/\/127\.0\.0\.1:\d+\//);
    assert.ok(
      live.related?.some((x) => x.location?.file === 'app.js' && x.location.line === env.location?.line),
      'live connect.sid finding points at the code that configured it',
    );
    assert.ok(
      env.related?.some((x) => x.url === live.url),
      'and the code finding points back at the URL',
    );

    // site-level: plain HTTP serves content, cookies cross HTTP, no HSTS, session id in a URL
    assert.ok(has(f, 'https-not-enforced', null, 'live'));
    assert.ok(has(f, 'cookie-set-over-http', 'connect.sid', 'live'));
    assert.ok(has(f, 'hsts-missing', null, 'live'));
    assert.ok(f.some((x) => x.rule === 'session-id-in-url' && x.source === 'live'));
    assert.ok(has(f, 'cookie-samesite-none-insecure', 'ad_campaign', 'live'));

    // values stay redacted: the demo's remember token value prefix never shows
    assert.doesNotMatch(r.stdout, /rt-[A-Za-z0-9_-]{10,}/);
  },
);

test(
  'demo: the text report names findings from code and from live URLs; --fail-on applies',
  { timeout: 90_000 },
  async () => {
    const r = await run(['demo', '--fail-on', 'high', '--no-color']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /app\.js/);
    assert.match(r.stdout, /https:\/\/127\.0\.0\.1:\d+\/login/);
    assert.match(r.stdout, /cookie-missing-secure/);
    assert.ok(!r.stdout.includes('\u001b['), 'no colour escapes with --no-color');
  },
);

test('demo: bad flags are one line and exit 2', async () => {
  const r = await run(['demo', '--format', 'xml']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^cookieguard: /);
});
