import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieObservationFromHeader, displaySafe } from '../../src/cookies/observe.js';
import type { CookieObservation, LiveDelivery } from '../../src/model/observation.js';

const NOW = new Date('2025-01-01T00:00:00Z');

function delivery(url: string, extra: Partial<LiveDelivery> = {}): LiveDelivery {
  return {
    url,
    scheme: url.startsWith('https:') ? 'https' : 'http',
    status: 200,
    hop: 0,
    requestedUrl: url,
    redirect: false,
    probe: 'https',
    ...extra,
  };
}

function cookie(raw: string, url = 'https://app.example.com/'): CookieObservation {
  const o = cookieObservationFromHeader(raw, delivery(url), { now: NOW });
  assert.equal(o.kind, 'cookie', JSON.stringify(o));
  return o as CookieObservation;
}

describe('cookie observations', () => {
  test('a hardened session cookie', () => {
    const raw = 'PHPSESSID=abc123; Path=/; Secure; HttpOnly; SameSite=Lax';
    const o = cookie(raw);
    assert.equal(o.source, 'live');
    assert.equal(o.name, 'PHPSESSID');
    assert.equal(o.value, 'abc123');
    assert.deepEqual(o.secure, { value: true, provenance: { kind: 'observed' }, evidence: 'Secure' });
    assert.deepEqual(o.httpOnly, { value: true, provenance: { kind: 'observed' }, evidence: 'HttpOnly' });
    assert.deepEqual(o.sameSite, {
      value: 'lax',
      provenance: { kind: 'observed' },
      evidence: 'SameSite=Lax',
      raw: 'Lax',
    });
    assert.deepEqual(o.path, { value: '/', provenance: { kind: 'observed' }, evidence: 'Path=/' });
    assert.equal(o.domain, undefined);
    assert.deepEqual(o.lifetime, { kind: 'session' });
    assert.equal(o.prefix, null);
    assert.equal(o.classification.category, 'session');
    assert.equal(o.framework, 'php');
    assert.equal(o.deletion, false);
    assert.equal(o.setBy, 'server');
    assert.equal(o.raw, raw);
    assert.deepEqual(o.rejectedBy, []);
    assert.deepEqual(o.parseIssues, []);
    assert.equal(o.size, 'PHPSESSIDabc123'.length);
    assert.equal(o.delivery?.url, 'https://app.example.com/');
  });

  test('missing attributes are observed as absent, without evidence', () => {
    const o = cookie('connect.sid=s%3Aabc.def');
    assert.deepEqual(o.secure, { value: false, provenance: { kind: 'observed' } });
    assert.deepEqual(o.httpOnly, { value: false, provenance: { kind: 'observed' } });
    assert.equal(o.sameSite.value, 'unset');
    assert.equal(o.framework, 'express-session');
  });

  test('evidence is the raw text of the deciding attribute (last duplicate)', () => {
    const o = cookie('a=1; Domain=example.com; domain=.App.Example.com; secure=no');
    assert.deepEqual(o.domain, {
      value: 'app.example.com',
      provenance: { kind: 'observed' },
      evidence: 'domain=.App.Example.com',
    });
    assert.equal(o.secure.evidence, 'secure=no');
    assert.ok(o.parseIssues?.some((i) => i.code === 'duplicate-attribute'));
  });

  test('rejections and deletions are carried, not hidden', () => {
    assert.deepEqual(cookie('x=1; SameSite=None').rejectedBy, ['SameSiteNoneInsecure']);
    assert.deepEqual(cookie('__Host-x=1; Secure').rejectedBy, ['InvalidPrefix']);
    assert.equal(cookie('__host-x=1; Secure; Path=/').prefix, '__Host-');
    assert.equal(cookie('sid=; Max-Age=0').deletion, true);
    assert.deepEqual(cookie('sid=1; Secure', 'http://app.example.com/').rejectedBy, ['SecureOnly']);
    assert.deepEqual(cookie('a=\x00').rejectedBy, ['DisallowedCharacter']);
  });

  test('lifetime is capped at 400 days', () => {
    assert.deepEqual(cookie('a=1; Max-Age=999999999').lifetime, {
      kind: 'persistent',
      seconds: 34560000,
      capped: true,
    });
  });

  test('source can be set (har, browser)', () => {
    const o = cookieObservationFromHeader('a=1', delivery('https://x.example/'), { source: 'har' });
    assert.equal(o.source, 'har');
  });

  test('a nameless cookie is still a cookie observation', () => {
    const o = cookie('justavalue');
    assert.equal(o.name, '');
    assert.ok(o.parseIssues?.some((i) => i.code === 'no-equals'));
  });
});

describe('malformed headers', () => {
  const rows: [string, string][] = [
    ['', 'empty'],
    ['   ', 'empty'],
    ['=', 'without a cookie name or value'],
    ['; Secure; HttpOnly', 'without a cookie name or value'],
    ['\x01\x02\x03', 'control character'],
  ];
  for (const [raw, problem] of rows) {
    test(`${JSON.stringify(raw)} → malformed-header`, () => {
      const o = cookieObservationFromHeader(raw, delivery('https://x.example/p'), { now: NOW });
      assert.equal(o.kind, 'malformed-header');
      if (o.kind !== 'malformed-header') return;
      assert.equal(o.header, 'Set-Cookie');
      assert.equal(o.url, 'https://x.example/p');
      assert.equal(o.source, 'live');
      assert.match(o.problem, new RegExp(problem));
      assert.ok(![...o.raw].some((ch) => ch.charCodeAt(0) < 0x20), 'raw is display-safe');
    });
  }
  test('displaySafe escapes control characters and truncates', () => {
    assert.equal(displaySafe('a\x1b[31mb'), 'a\\x1b[31mb');
    assert.equal(displaySafe('x'.repeat(300)).length, 201);
  });
});
