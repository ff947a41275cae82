import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptableTarget,
  forwardedElement,
  forwardRequestHeaders,
  forwardResponseHeaders,
  rawValues,
} from '../../src/dev/forwarded.js';

const ctx = { clientAddress: '127.0.0.1', host: 'localhost:8443', port: 8443 };

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

test('request headers: end-to-end fields pass unchanged, in order, with their case and repeats', () => {
  const out = forwardRequestHeaders(
    [
      'Host',
      'localhost:8443',
      'Cookie',
      'a=1',
      'X-Custom',
      'One',
      'x-custom',
      'two',
      'Content-Length',
      '5',
      'Accept',
      '*/*',
    ],
    ctx,
  );
  assert.deepEqual(pairs(out).slice(0, 6), [
    ['Host', 'localhost:8443'],
    ['Cookie', 'a=1'],
    ['X-Custom', 'One'],
    ['x-custom', 'two'],
    ['Content-Length', '5'],
    ['Accept', '*/*'],
  ]);
});

test('request headers: the forwarding fields are set by the proxy', () => {
  const out = forwardRequestHeaders(['Host', 'localhost:8443'], ctx);
  assert.deepEqual(rawValues(out, 'x-forwarded-proto'), ['https']);
  assert.deepEqual(rawValues(out, 'x-forwarded-host'), ['localhost:8443']);
  assert.deepEqual(rawValues(out, 'x-forwarded-port'), ['8443']);
  assert.deepEqual(rawValues(out, 'x-forwarded-for'), ['127.0.0.1']);
  assert.deepEqual(rawValues(out, 'forwarded'), ['for=127.0.0.1;host="localhost:8443";proto=https']);
});

test('request headers: values a client sent are replaced (proto, host, port) or appended to (for, Forwarded)', () => {
  const cases: { name: string; raw: string[]; header: string; want: string[] }[] = [
    {
      name: 'spoofed proto',
      raw: ['X-Forwarded-Proto', 'http'],
      header: 'x-forwarded-proto',
      want: ['https'],
    },
    {
      name: 'spoofed host',
      raw: ['X-Forwarded-Host', 'evil.example'],
      header: 'x-forwarded-host',
      want: ['localhost:8443'],
    },
    { name: 'spoofed port', raw: ['X-Forwarded-Port', '80'], header: 'x-forwarded-port', want: ['8443'] },
    {
      name: 'X-Forwarded-For appended',
      raw: ['X-Forwarded-For', '203.0.113.1, 10.0.0.1'],
      header: 'x-forwarded-for',
      want: ['203.0.113.1, 10.0.0.1, 127.0.0.1'],
    },
    {
      name: 'two X-Forwarded-For lines merged then appended',
      raw: ['X-Forwarded-For', '203.0.113.1', 'x-forwarded-for', '10.0.0.1'],
      header: 'x-forwarded-for',
      want: ['203.0.113.1, 10.0.0.1, 127.0.0.1'],
    },
    {
      name: 'Forwarded appended as a new element',
      raw: ['Forwarded', 'for=203.0.113.1;proto=http'],
      header: 'forwarded',
      want: ['for=203.0.113.1;proto=http, for=127.0.0.1;host="localhost:8443";proto=https'],
    },
  ];
  for (const c of cases) {
    assert.deepEqual(
      rawValues(forwardRequestHeaders(['Host', 'localhost:8443', ...c.raw], ctx), c.header),
      c.want,
      c.name,
    );
  }
});

test('request headers: hop-by-hop fields and the ones Connection names are dropped; Expect is answered here', () => {
  const out = forwardRequestHeaders(
    [
      'Host',
      'localhost:8443',
      'Connection',
      'keep-alive, X-Hop',
      'Keep-Alive',
      'timeout=5',
      'X-Hop',
      'secret',
      'Proxy-Authorization',
      'Basic abc',
      'Proxy-Connection',
      'keep-alive',
      'TE',
      'trailers',
      'Trailer',
      'X-T',
      'Transfer-Encoding',
      'chunked',
      'Upgrade',
      'websocket',
      'Expect',
      '100-continue',
      'X-Kept',
      'yes',
    ],
    ctx,
  );
  const names = pairs(out).map(([n]) => n.toLowerCase());
  for (const gone of [
    'connection',
    'keep-alive',
    'x-hop',
    'proxy-authorization',
    'proxy-connection',
    'te',
    'trailer',
    'transfer-encoding',
    'upgrade',
    'expect',
  ]) {
    assert.ok(!names.includes(gone), `${gone} dropped`);
  }
  assert.deepEqual(rawValues(out, 'x-kept'), ['yes']);
});

test('request headers: a WebSocket upgrade keeps Connection: Upgrade and the Upgrade value', () => {
  const out = forwardRequestHeaders(
    [
      'Host',
      'localhost:8443',
      'Connection',
      'Upgrade',
      'Upgrade',
      'websocket',
      'Sec-WebSocket-Key',
      'k',
      'Sec-WebSocket-Version',
      '13',
    ],
    ctx,
    { upgrade: true },
  );
  assert.deepEqual(rawValues(out, 'connection'), ['Upgrade']);
  assert.deepEqual(rawValues(out, 'upgrade'), ['websocket']);
  assert.deepEqual(rawValues(out, 'sec-websocket-key'), ['k']);
});

test('Forwarded elements quote what is not a token (RFC 7239 §4, §6)', () => {
  const cases: [Parameters<typeof forwardedElement>[0], string][] = [
    [
      { clientAddress: '127.0.0.1', host: 'localhost', port: 443 },
      'for=127.0.0.1;host=localhost;proto=https',
    ],
    [{ clientAddress: '::1', host: '[::1]:8443', port: 8443 }, 'for="[::1]";host="[::1]:8443";proto=https'],
    [{ clientAddress: '::ffff:127.0.0.1', host: undefined, port: 8443 }, 'for=127.0.0.1;proto=https'],
    [{ clientAddress: '127.0.0.1', host: 'a"b', port: 8443 }, 'for=127.0.0.1;host="a\\"b";proto=https'],
  ];
  for (const [c, want] of cases) assert.equal(forwardedElement(c), want);
});

test('response headers: hop-by-hop dropped, Set-Cookie repeats kept; a 101 keeps Connection and Upgrade', () => {
  const raw = [
    'Set-Cookie',
    'a=1; Secure',
    'Set-Cookie',
    'b=2',
    'Connection',
    'keep-alive, X-Hop',
    'X-Hop',
    '1',
    'Keep-Alive',
    'timeout=5',
    'Transfer-Encoding',
    'chunked',
    'Content-Type',
    'text/html',
  ];
  assert.deepEqual(pairs(forwardResponseHeaders(raw)), [
    ['Set-Cookie', 'a=1; Secure'],
    ['Set-Cookie', 'b=2'],
    ['Content-Type', 'text/html'],
  ]);
  const up = forwardResponseHeaders(
    ['Connection', 'Upgrade', 'Upgrade', 'websocket', 'Sec-WebSocket-Accept', 'x'],
    { upgrade: true },
  );
  assert.deepEqual(pairs(up), [
    ['Connection', 'Upgrade'],
    ['Upgrade', 'websocket'],
    ['Sec-WebSocket-Accept', 'x'],
  ]);
});

test('request targets: only origin-form (and * for OPTIONS) is accepted', () => {
  const cases: [string | undefined, string | undefined, boolean][] = [
    ['GET', '/', true],
    ['GET', '/a/b?c=d', true],
    ['GET', '//evil.example/x', true], // origin-form path; it still goes to the target only
    ['OPTIONS', '*', true],
    ['GET', '*', false],
    ['GET', 'http://evil.example/', false],
    ['GET', 'https://evil.example/', false],
    ['CONNECT', 'evil.example:443', false],
    ['GET', '', false],
    ['GET', undefined, false],
  ];
  for (const [m, u, want] of cases) assert.equal(acceptableTarget(m, u), want, `${m} ${u}`);
});
