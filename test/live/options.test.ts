/** What `check` accepts from the user: --cookie, --header, --http/--https origins, URLs, --ca. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseOrigin,
  parseTargetUrl,
  parseUserCookies,
  parseUserHeaders,
  readCaFiles,
  twinUrl,
} from '../../src/collect/live/options.js';
import { makeTestCa } from '../helpers/tls.js';

test('--cookie: NAME=VALUE, several joined with ";" as copied from a browser', () => {
  assert.deepEqual(parseUserCookies(['a=1', 'b=x=y; c=', ' d = 4 ']), {
    cookies: [
      { name: 'a', value: '1' },
      { name: 'b', value: 'x=y' },
      { name: 'c', value: '' },
      { name: 'd', value: '4' },
    ],
    errors: [],
  });
  const bad = parseUserCookies(['novalue', '=v', 'bad name=1', 'ok=\x01']);
  assert.deepEqual(bad.cookies, []);
  assert.equal(bad.errors.length, 4);
  for (const e of bad.errors) assert.match(e, /^--cookie: /);
});

test('--cookie error messages never echo a value', () => {
  const { errors } = parseUserCookies(['bad name=SECRETVALUE']);
  assert.doesNotMatch(errors.join(), /SECRETVALUE/);
});

test('--header: Name: value; Cookie headers become user cookies; managed headers refused', () => {
  const r = parseUserHeaders([
    'X-A: 1',
    'x-a: 2',
    'Authorization: Bearer t',
    'Cookie: s=1; t=2',
    'User-Agent: me',
  ]);
  assert.deepEqual(r.headers, { 'x-a': '1, 2', authorization: 'Bearer t', 'user-agent': 'me' });
  assert.deepEqual(r.cookies, [
    { name: 's', value: '1' },
    { name: 't', value: '2' },
  ]);
  assert.deepEqual(r.errors, []);
  const bad = parseUserHeaders([
    'NoColon',
    ': empty',
    'Bad Name: x',
    'Transfer-Encoding: chunked',
    'Host2: a\r\nb',
    'X-Emoji: \u{1F36A}',
  ]);
  assert.equal(bad.errors.length, 6);
  assert.deepEqual(parseUserHeaders(['X-Tab: a\tb', 'X-Latin: caf\u00e9']).errors, []);
});

test('--http / --https: origins of the right scheme; path ignored', () => {
  assert.equal(
    parseOrigin('http://127.0.0.1:8080/ignored?x', 'http', '--http').origin?.href,
    'http://127.0.0.1:8080/',
  );
  assert.equal(parseOrigin('127.0.0.1:8080', 'http', '--http').origin?.href, 'http://127.0.0.1:8080/');
  assert.match(parseOrigin('https://x', 'http', '--http').error ?? '', /expected a http:\/\/ origin/);
  assert.match(parseOrigin('http://u:p@x', 'http', '--http').error ?? '', /credentials/);
  assert.match(parseOrigin('http://[bad', 'http', '--http').error ?? '', /not a valid origin/);
});

test('target URLs: http(s) only, no credentials, fragment dropped', () => {
  assert.equal(parseTargetUrl('https://a.test/p?q=1#f').url?.href, 'https://a.test/p?q=1');
  assert.equal(parseTargetUrl('https://a.test/p#').url?.href, 'https://a.test/p');
  assert.equal(parseTargetUrl('https://a.test/p').url?.href, 'https://a.test/p');
  assert.match(parseTargetUrl('ftp://a.test/').error ?? '', /only http:\/\/ and https:\/\//);
  assert.match(parseTargetUrl('https://u:p@a.test/').error ?? '', /credentials/);
  assert.match(parseTargetUrl('a.test').error ?? '', /not a valid URL/);
});

test('twins keep path and query; default ports of the scheme', () => {
  const u = new URL('https://a.test:8443/p/q?x=1');
  assert.equal(twinUrl(u, 'http').href, 'http://a.test/p/q?x=1');
  assert.equal(twinUrl(u, 'http', new URL('http://127.0.0.1:8080')).href, 'http://127.0.0.1:8080/p/q?x=1');
  assert.equal(twinUrl(new URL('http://[::1]:8080/a'), 'https').href, 'https://[::1]/a');
});

test('--ca: readable PEM certificates only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-ca-'));
  try {
    const ca = await makeTestCa();
    writeFileSync(
      join(dir, 'junk.pem'),
      '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n',
    );
    writeFileSync(join(dir, 'empty.pem'), 'hello');
    const r = readCaFiles([
      ca.caFile,
      join(dir, 'junk.pem'),
      join(dir, 'empty.pem'),
      join(dir, 'missing.pem'),
    ]);
    assert.deepEqual(r.pems, [ca.caPem]);
    assert.deepEqual(
      r.errors.map((e) => e.replace(dir, 'DIR')),
      [
        '--ca DIR/junk.pem: certificate 1 in the file is not a usable PEM certificate',
        '--ca DIR/empty.pem: no PEM certificate in the file',
        '--ca DIR/missing.pem: cannot read the file (ENOENT)',
      ],
    );
    // Read again: the same answer (the usable file's certificates are remembered by content) ...
    assert.deepEqual(readCaFiles([ca.caFile]), { pems: [ca.caPem], errors: [] });
    // ... and a file rewritten since is judged by what it holds now.
    writeFileSync(ca.caFile, '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
    assert.equal(readCaFiles([ca.caFile]).errors.length, 1);
    writeFileSync(ca.caFile, ca.caPem);
    assert.deepEqual(readCaFiles([ca.caFile]), { pems: [ca.caPem], errors: [] });
    ca.cleanup();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
