/**
 * The progress line: drawn on stderr only when stderr is a terminal. The unit tests drive the
 * line renderer; the end-to-end test runs the real bin under a real pseudo-terminal (util-linux
 * `script`), and the non-terminal case is the plain child-process run every other CLI test makes.
 */
/* eslint-disable no-control-regex -- these tests look for terminal escape sequences on purpose */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgress } from '../../src/cli/progress.js';
import { LOOPBACK_NAMES, makeTestCa, type TestCa } from '../helpers/tls.js';
import { startTestSite, type TestSite } from '../helpers/servers.js';
import { bin, repoRoot, runCli } from './run.js';

function sink(isTTY: boolean, columns = 80) {
  const writes: string[] = [];
  return { isTTY, columns, writes, write: (s: string) => (writes.push(s), true) };
}

test('progress: one updating line on a terminal, cleared at the end', () => {
  const s = sink(true);
  const p = createProgress(s, { enabled: true, noun: 'URLs', minTotal: 2, intervalMs: 0 });
  p.update(1, 3, 'https://a.test/');
  p.update(2, 3, 'https://b.test/\u001b[2J');
  p.update(3, 3, 'https://c.test/');
  p.finish();
  assert.deepEqual(s.writes, [
    '\r\u001b[2K[1/3] URLs https://a.test/',
    '\r\u001b[2K[2/3] URLs https://b.test/?[2J',
    '\r\u001b[2K[3/3] URLs https://c.test/',
    '\r\u001b[2K',
  ]);
});

test('progress: nothing when not a terminal, when disabled (--quiet), or for a short run', () => {
  for (const [stream, enabled, total] of [
    [sink(false), true, 10],
    [sink(true), false, 10],
    [sink(true), true, 1],
  ] as const) {
    const p = createProgress(stream, { enabled, noun: 'URLs', minTotal: 2, intervalMs: 0 });
    for (let i = 1; i <= total; i++) p.update(i, total, 'x');
    p.finish();
    assert.deepEqual(stream.writes, []);
  }
});

test('progress: the line fits the terminal width', () => {
  const s = sink(true, 30);
  const p = createProgress(s, { enabled: true, noun: 'files', minTotal: 1, intervalMs: 0 });
  p.update(1, 2, 'a/very/long/path/that/does/not/fit/in/thirty/columns.js');
  const line = s.writes[0]!.replace('\r\u001b[2K', '');
  assert.equal(line.length, 29);
  assert.ok(line.endsWith('…'));
  // A terminal that reports no size (0 columns) gets the usual 80.
  const z = sink(true, 0);
  createProgress(z, { enabled: true, noun: 'files', minTotal: 1, intervalMs: 0 }).update(
    1,
    2,
    'x'.repeat(200),
  );
  assert.equal(z.writes[0]!.replace('\r\u001b[2K', '').length, 79);
});

// --- end to end, under a pseudo-terminal --------------------------------------------------------

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
let ca: TestCa;
let site: TestSite;
let tmp: string;

before(async () => {
  if (!hasScript) return;
  ca = await makeTestCa();
  site = await startTestSite({
    cert: await ca.issue(LOOPBACK_NAMES),
    https: { '*': { headers: { 'set-cookie': ['sid=abcdef0123456789; Path=/'] }, body: 'x' } },
    http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
  });
  tmp = mkdtempSync(join(tmpdir(), 'cookieguard-progress-'));
});
after(async () => {
  await site?.close();
  ca?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs the bin with stdin/stdout/stderr on a pseudo-terminal; returns everything the terminal got. */
function underTty(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; tty: string }> {
  const cmd = [process.execPath, bin, ...args].map(shq).join(' ');
  return new Promise((done, fail) => {
    const e = { ...process.env, ...env };
    delete e.NO_COLOR;
    Object.assign(e, env);
    const child = spawn('script', ['-qefc', cmd, '/dev/null'], {
      cwd: repoRoot,
      env: e,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tty = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (tty += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, tty });
    });
  });
}

test('on a terminal: a progress line on stderr (never in the report) and a coloured text report', async (t) => {
  if (!hasScript) {
    t.skip('util-linux `script` is not installed: cannot make a pseudo-terminal');
    return;
  }
  const urls = [
    'check',
    `${site.httpsOrigin}/a`,
    `${site.httpsOrigin}/b`,
    '--ca',
    ca.caFile,
    '--http',
    site.httpOrigin,
  ];
  const out = join(tmp, 'r.json');
  const r = await underTty([...urls, '--format', 'json', '--output', out]);
  assert.equal(r.code, 1, r.tty);
  assert.match(r.tty, /\r\u001b\[2K\[\d\/2\] URLs https:\/\/127\.0\.0\.1:\d+\/[ab]/);
  const report = readFileSync(out, 'utf8');
  assert.ok(
    !report.includes('\u001b') && !report.includes('URLs https'),
    'progress never goes into the report',
  );
  JSON.parse(report);

  const coloured = await underTty(urls);
  assert.match(coloured.tty, /\u001b\[1m\u001b\[31mHIGH/);
  const noColor = await underTty(urls, { NO_COLOR: '1' });
  assert.doesNotMatch(noColor.tty.replace(/\r\u001b\[2K/g, ''), /\u001b\[/);
  const flag = await underTty([...urls, '--no-color', '--quiet']);
  assert.doesNotMatch(flag.tty, /\u001b\[/, '--quiet: no progress line either');
});

test('not a terminal: stderr carries nothing but errors', async (t) => {
  if (!hasScript) {
    t.skip('the test site needs `script` for the paired terminal test');
    return;
  }
  const r = await runCli([
    'check',
    `${site.httpsOrigin}/a`,
    `${site.httpsOrigin}/b`,
    '--ca',
    ca.caFile,
    '--http',
    site.httpOrigin,
  ]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, '');
  assert.doesNotMatch(r.stdout, /\u001b\[/);
});
