/**
 * `cookieguard har` on hand-made HAR files in the shapes the exporters write (Firefox DevTools: no
 * resource types, one Set-Cookie header each; Chrome DevTools: repeated Set-Cookie joined with
 * newlines, `_resourceType`, `_initiator`; a sanitised export that keeps only the cookie list), and
 * on bad input: a missing file, invalid JSON, a truncated file, a wrong log.version, a file over
 * --max-size (a sparse 1 GiB file with the default), and a large file streamed with a small heap.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { oneErrorLine, runCli } from '../cli/run.js';
import type { JsonFinding, JsonReport } from '../cli/sites.js';
import { generateHar } from './generate.js';

const tmp = mkdtempSync(join(tmpdir(), 'cookieguard-har-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const SECRET = 'fIrEfOxSeSsIoN-93c1a7e5';
const AT = '2026-03-01T10:00:00.000Z';

interface E {
  url: string;
  status?: number;
  page?: string;
  headers?: [string, string][];
  cookies?: Record<string, unknown>[];
  mime?: string;
  redirectURL?: string;
  extra?: Record<string, unknown>;
}

function entry(e: E): Record<string, unknown> {
  return {
    ...(e.page ? { pageref: e.page } : {}),
    startedDateTime: AT,
    time: 12,
    request: {
      bodySize: 0,
      method: 'GET',
      url: e.url,
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Host', value: new URL(e.url).host }],
      cookies: [],
      queryString: [],
      headersSize: 300,
    },
    response: {
      status: e.status ?? 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: (e.headers ?? []).map(([name, value]) => ({ name, value })),
      cookies: e.cookies ?? [],
      content: { mimeType: e.mime ?? 'text/html; charset=utf-8', size: 10, text: 'body' },
      redirectURL: e.redirectURL ?? '',
      headersSize: 200,
      bodySize: 10,
    },
    cache: {},
    timings: { blocked: 0, dns: 0, connect: 0, ssl: 0, send: 0, wait: 10, receive: 2 },
    ...(e.extra ?? {}),
  };
}

function har(
  creator: string,
  pages: { id: string; title: string }[],
  entries: E[],
  version = '1.2',
): Record<string, unknown> {
  return {
    log: {
      version,
      creator: { name: creator, version: '1' },
      pages: pages.map((p) => ({ startedDateTime: AT, ...p, pageTimings: { onContentLoad: 1, onLoad: 2 } })),
      entries: entries.map(entry),
    },
  };
}

function write(name: string, content: unknown): string {
  const file = join(tmp, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

async function report(args: string[]): Promise<{ code: number | null; report: JsonReport; stderr: string }> {
  const r = await runCli(['har', ...args, '--format', 'json'], { timeoutMs: 120_000 });
  assert.equal(oneErrorLine(r.stderr) === null || r.code === 2, true, r.stderr);
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

const rulesOf = (fs: JsonFinding[], cookie: string | null) =>
  fs
    .filter((f) => f.cookie === cookie)
    .map((f) => f.rule)
    .sort();

/** A Firefox export: no `_resourceType`; pages titled with the document title. */
const firefox = har(
  'Firefox',
  [{ id: 'page_1', title: 'Shop' }],
  [
    {
      url: 'http://shop.example/',
      status: 301,
      page: 'page_1',
      mime: 'text/html',
      headers: [
        ['Location', 'https://shop.example/'],
        ['Set-Cookie', 'early=1; Path=/'],
      ],
      redirectURL: 'https://shop.example/',
    },
    {
      url: 'https://shop.example/',
      page: 'page_1',
      headers: [
        ['Set-Cookie', `PHPSESSID=${SECRET}; path=/; HttpOnly`],
        ['Set-Cookie', 'gone=; Max-Age=0; Path=/'],
        ['Set-Cookie', 'pref=x; SameSite=None; Path=/'],
        ['Set-Cookie', '__Secure-t=1; Path=/'],
        ['Content-Type', 'text/html'],
      ],
    },
    { url: 'http://cdn.example/lib.js', page: 'page_1', mime: 'application/javascript' },
    { url: 'http://cdn.example/pic.jpg', page: 'page_1', mime: 'image/jpeg' },
    { url: 'https://cdn.example/ok.css', page: 'page_1', mime: 'text/css' },
    {
      url: 'https://shop.example/cart?sid=' + 'A1b2C3d4E5f6',
      page: 'page_1',
      mime: 'application/json',
      status: 302,
      redirectURL: 'https://shop.example/cart;jsessionid=Zz9Yy8Xx7Ww6',
    },
  ],
);

describe('cookieguard har: hand-made exports', () => {
  test('Firefox format: cookies, deletions left alone, prefixes, mixed content, session ids, HSTS', async () => {
    const file = write('firefox.har', firefox);
    const { code, report: r } = await report([file]);
    assert.equal(code, 1);
    const f = r.findings;
    assert.ok(f.every((x) => x.source === 'har'));
    assert.deepEqual(rulesOf(f, 'PHPSESSID'), ['cookie-missing-secure']);
    assert.equal(f.find((x) => x.cookie === 'PHPSESSID')!.url, 'https://shop.example/');
    assert.equal(f.find((x) => x.cookie === 'PHPSESSID')!.severity, 'high');
    assert.deepEqual(rulesOf(f, 'early'), ['cookie-set-over-http']);
    assert.deepEqual(rulesOf(f, 'gone'), [], 'a deletion is not judged');
    assert.deepEqual(rulesOf(f, 'pref'), ['cookie-samesite-none-insecure']);
    assert.deepEqual(rulesOf(f, '__Secure-t'), ['cookie-prefix-invalid']);
    const mixed = f.filter((x) => x.rule === 'mixed-content');
    assert.equal(mixed.length, 1);
    assert.equal(mixed[0]!.url, 'https://shop.example/');
    assert.equal(mixed[0]!.severity, 'high');
    assert.match(mixed[0]!.evidence!, /script http:\/\/cdn\.example\/lib\.js/);
    assert.match(mixed[0]!.evidence!, /image http:\/\/cdn\.example\/pic\.jpg/);
    assert.doesNotMatch(mixed[0]!.evidence!, /ok\.css/);
    // Session ids in a request URL and in a redirect target, values redacted.
    const ids = f.filter((x) => x.rule === 'session-id-in-url');
    assert.deepEqual(ids.map((x) => x.cookie).sort(), ['jsessionid', 'sid']);
    assert.ok(!JSON.stringify(f).includes('A1b2C3d4E5f6'));
    assert.ok(!JSON.stringify(f).includes('Zz9Yy8Xx7Ww6'));
    // No HSTS from the host that served the page.
    const hsts = f.filter((x) => x.rule === 'hsts-missing');
    assert.deepEqual(
      hsts.map((x) => x.url),
      ['https://shop.example/'],
    );
    // Values redacted; shown with --show-values.
    assert.ok(!JSON.stringify(r).includes(SECRET));
    const shown = await runCli(['har', file, '--show-values', '--explain', '--no-color'], {
      timeoutMs: 60_000,
    });
    assert.ok(shown.stdout.includes(SECRET));
  });

  test('Chrome DevTools format: joined Set-Cookie lines, resource types, initiators of entries of no page', async () => {
    const file = write(
      'chrome.har',
      har(
        'WebInspector',
        [{ id: 'page_3', title: 'https://app.example/home' }],
        [
          {
            url: 'https://app.example/home',
            page: 'page_3',
            headers: [
              ['set-cookie', 'a=1; Path=/; Secure; HttpOnly\nb=2; Path=/; Secure; HttpOnly; Domain=example'],
              ['strict-transport-security', 'max-age=63072000; includeSubDomains'],
            ],
            extra: { _resourceType: 'document', _initiator: { type: 'other' } },
          },
          {
            url: 'http://img.example/x',
            page: 'page_3',
            mime: 'application/octet-stream',
            extra: {
              _resourceType: 'image',
              _initiator: { type: 'parser', url: 'https://app.example/home' },
            },
          },
          {
            url: 'http://api.example/v1',
            mime: 'application/json',
            extra: {
              _resourceType: 'fetch',
              _initiator: {
                type: 'script',
                stack: { callFrames: [{ functionName: 'f', url: 'https://app.example/app.js' }] },
              },
            },
          },
        ],
      ),
    );
    const { report: r } = await report([file]);
    const f = r.findings;
    assert.deepEqual(rulesOf(f, 'a'), []);
    assert.ok(rulesOf(f, 'b').length > 0, 'the second joined line is its own cookie');
    const mixed = f.filter((x) => x.rule === 'mixed-content');
    const byUrl = Object.fromEntries(mixed.map((m) => [m.url, m]));
    assert.equal(byUrl['https://app.example/home']!.severity, 'low', 'an image only: passive');
    assert.equal(byUrl['https://app.example/app.js']!.severity, 'high', 'a fetch from the initiating script');
    assert.equal(
      f.filter((x) => x.rule.startsWith('hsts')).length,
      0,
      'HSTS of two years with includeSubDomains',
    );
  });

  test('a sanitised export without Set-Cookie headers: the cookie list is judged, and the evidence says so', async () => {
    const file = write(
      'stripped.har',
      har(
        'WebInspector',
        [{ id: 'p', title: 'x' }],
        [
          {
            url: 'https://stripped.example/',
            page: 'p',
            headers: [['Strict-Transport-Security', 'max-age=31536000']],
            cookies: [
              { name: 'sessionid', value: SECRET, path: '/', httpOnly: true, secure: false },
              { name: 'csrftoken', value: 'c', path: '/', secure: true, sameSite: 'Lax' },
              { name: 'old', value: '', path: '/', expires: '2001-01-01T00:00:00.000Z' },
            ],
            extra: { _resourceType: 'document' },
          },
        ],
      ),
    );
    const { report: r } = await report([file]);
    const s = r.findings.filter((x) => x.cookie === 'sessionid');
    assert.deepEqual(
      s.map((x) => x.rule),
      ['cookie-missing-secure'],
    );
    assert.match(s[0]!.evidence!, /Set-Cookie: sessionid=<redacted>; Path=\/; HttpOnly/);
    assert.match(s[0]!.evidence!, /HAR's cookie list/);
    assert.equal(r.findings.filter((x) => x.cookie === 'old' || x.cookie === 'csrftoken').length, 0);
    assert.ok(!JSON.stringify(r).includes(SECRET));
  });

  test('every report format and the common flags: sarif, --output, --fail-on, --baseline', async () => {
    const file = write('formats.har', firefox);
    const sarif = await runCli(['har', file, '--format', 'sarif'], { timeoutMs: 60_000 });
    assert.equal(sarif.code, 1);
    assert.equal((JSON.parse(sarif.stdout) as { version: string }).version, '2.1.0');
    for (const format of ['text', 'junit', 'html', 'markdown']) {
      const r = await runCli(['har', file, '--format', format, '--no-color'], { timeoutMs: 60_000 });
      assert.equal(r.code, 1, format + r.stderr);
      assert.match(r.stdout, /PHPSESSID/, format);
      assert.ok(!r.stdout.includes(SECRET), format);
    }
    const none = await runCli(['har', file, '--fail-on', 'none'], { timeoutMs: 60_000 });
    assert.equal(none.code, 0);
    const base = join(tmp, 'baseline.json');
    const written = await runCli(['har', file, '--format', 'json', '--output', base, '--fail-on', 'none']);
    assert.equal(written.code, 0, written.stderr);
    const again = await runCli(['har', file, '--baseline', base, '--format', 'json'], { timeoutMs: 60_000 });
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as JsonReport).findings.length, 0);
  });

  test('several files: one report', async () => {
    const a = write('multi-a.har', firefox);
    const { report: r } = await report([a, join(tmp, 'stripped.har')]);
    assert.ok(r.findings.some((f) => f.cookie === 'PHPSESSID'));
    assert.ok(r.findings.some((f) => f.cookie === 'sessionid'));
  });
});

describe('cookieguard har: bad input is one line and exit 2', () => {
  const bad = async (args: string[], pattern: RegExp): Promise<void> => {
    const r = await runCli(['har', ...args], { timeoutMs: 120_000 });
    assert.equal(r.code, 2, r.stderr + r.stdout.slice(0, 300));
    const line = oneErrorLine(r.stderr);
    assert.ok(line, `one line: ${JSON.stringify(r.stderr)}`);
    assert.match(line, pattern);
  };

  test('a missing file, a directory, no file at all', async () => {
    await bad([join(tmp, 'nope.har')], /cannot read .*nope\.har: no such file or directory/);
    await bad([tmp], /is a directory/);
    const r = await runCli(['har'], { timeoutMs: 30_000 });
    assert.equal(r.code, 2);
  });

  test('invalid JSON, a truncated file, not HAR, a wrong log.version', async () => {
    await bad(
      [write('invalid.har', '{"log": {"version": "1.2", "entries": [}}')],
      /invalid\.har: not valid JSON/,
    );
    await bad([write('text.har', 'hello')], /not valid JSON/);
    await bad([write('empty.har', '')], /is empty/);
    const whole = JSON.stringify(firefox);
    await bad(
      [write('truncated.har', whole.slice(0, Math.floor(whole.length * 0.6)))],
      /truncated\.har: the JSON ends before it is complete \(a truncated file\?\)/,
    );
    await bad([write('cut.har', '{"log":{"version":"1.2","entries":[')], /ends before it is complete/);
    await bad([write('array.har', '[1, 2]')], /not a HAR file/);
    await bad([write('v11.har', har('x', [], [], '1.1'))], /log\.version is "1\.1"; HAR 1\.2/);
    await bad([write('nover.har', { log: { entries: [] } })], /no log\.version/);
  });

  test('a truncated file still reports what was read before the end', async () => {
    const whole = JSON.stringify(firefox);
    const cut = whole.indexOf('http://cdn.example/pic.jpg');
    const r = await runCli(['har', write('half.har', whole.slice(0, cut)), '--format', 'json'], {
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 2);
    assert.match(oneErrorLine(r.stderr) ?? '', /entries were read before the end/);
    assert.ok((JSON.parse(r.stdout) as JsonReport).findings.some((f) => f.cookie === 'PHPSESSID'));
  });

  test('over --max-size: a sparse 1 GiB file is refused at once with the default limit', async () => {
    const file = join(tmp, 'huge.har');
    const fd = openSync(file, 'w');
    writeSync(fd, '{"log":{"version":"1.2","entries":[');
    ftruncateSync(fd, 1024 ** 3);
    closeSync(fd);
    await bad([file], /huge\.har: 1 GiB is over the --max-size limit of 512 MiB/);
    await bad([write('small.har', firefox), '--max-size', '1k'], /over the --max-size limit of 1 KiB/);
    await bad([write('small2.har', firefox), '--max-size', 'lots'], /--max-size must be/);
    rmSync(file);
  });

  test('a 160 MB file with a 40 MB body is streamed in a 64 MB heap', async () => {
    const file = join(tmp, 'large.har');
    const bytes = await generateHar(file, { entries: 4, bodyBytes: 40 * 1024 * 1024, cookieEvery: 1 });
    assert.ok(bytes > 160 * 1024 * 1024);
    const r = await runCli(['har', file, '--max-size', '1g', '--format', 'json'], {
      timeoutMs: 180_000,
      env: { NODE_OPTIONS: '--max-old-space-size=64' },
    });
    assert.equal(r.code, 1, r.stderr.slice(0, 500));
    const rep = JSON.parse(r.stdout) as JsonReport;
    assert.ok(rep.findings.some((f) => f.rule === 'cookie-missing-secure'));
    rmSync(file);
  });
});
