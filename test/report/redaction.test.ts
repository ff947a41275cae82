import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATS, render } from '../../src/report/index.js';
import type { RenderOptions } from '../../src/report/types.js';
import { REDACTED, scrubErrors, scrubFindings, secretsOf } from '../../src/cli/secrets.js';
import type { CookieObservation, LiveDelivery, Observation } from '../../src/model/observation.js';
import { SECRET, allFindings, errors, liveFinding, makeReport, rules } from './fixtures.js';

const base: RenderOptions = {
  showValues: false,
  color: false,
  failOn: 'medium',
  suppressed: 0,
  rules,
  srcRoot: '/app',
};

for (const format of FORMATS) {
  test(`redaction (${format}): rawEvidence is printed only with --show-values`, () => {
    // text prints evidence with --explain (the compact report has none to leak)
    const b = format === 'text' ? { ...base, explain: true } : base;
    const hidden = render(format, makeReport(allFindings, errors), b);
    assert.ok(!hidden.includes(SECRET), `${format} leaked the value`);
    // markdown is a summary without evidence: it must not leak, and has nothing to show
    if (format === 'markdown') return;
    assert.ok(hidden.includes('sid=<redacted>') || hidden.includes('sid=&lt;redacted&gt;'), format);
    const shown = render(format, makeReport(allFindings, errors), { ...b, showValues: true });
    assert.ok(shown.includes(SECRET), `${format} does not show the value with --show-values`);
  });
}

function cookieObs(value: string): CookieObservation {
  const observed = { kind: 'observed' as const };
  return {
    kind: 'cookie',
    source: 'live',
    name: 'sid',
    value,
    secure: { value: true, provenance: observed },
    httpOnly: { value: false, provenance: observed },
    sameSite: { value: 'unset', provenance: observed },
    lifetime: { kind: 'session' },
    prefix: null,
    classification: { category: 'session', reason: 'name sid' },
    deletion: false,
    setBy: 'server',
  };
}

test('scrub: values seen on the wire are removed from every string of a finding, even where a rule forgot', () => {
  const obs: Observation[] = [
    cookieObs(SECRET),
    {
      kind: 'session-id-in-url',
      source: 'live',
      url: 'https://x.test/',
      where: 'location',
      parameter: 'PHPSESSID',
      value: 'abcdef0123456789',
    },
  ];
  const careless = {
    ...liveFinding,
    message: `cookie sid=${SECRET} readable`,
    url: 'https://x.test/a;jsessionid=abcdef0123456789',
    related: [{ url: `https://x.test/?s=${encodeURIComponent(SECRET)}`, message: SECRET }],
  };
  const [f] = scrubFindings([careless], secretsOf(obs));
  for (const format of FORMATS) {
    const out = render(format, makeReport([f!]), base);
    assert.ok(!out.includes(SECRET), format);
    assert.ok(!out.includes('abcdef0123456789'), format);
  }
  assert.equal(f!.message, `cookie sid=${REDACTED} readable`);
  const [e] = scrubErrors([{ url: 'https://x.test/', message: `bad ${SECRET}` }], secretsOf(obs));
  assert.equal(e!.message, `bad ${REDACTED}`);
});

test('scrub: user-given secrets (--cookie / --header values) are removed; short values are left alone', () => {
  const secrets = secretsOf([cookieObs('1')], ['Bearer tok-123456789']);
  assert.deepEqual(secrets.includes('1'), false);
  const [f] = scrubFindings(
    [{ ...liveFinding, message: 'sent Authorization: Bearer tok-123456789 and a=1' }],
    secrets,
  );
  assert.equal(f!.message, `sent Authorization: ${REDACTED} and a=1`);
});

// --- real rules on observations that carry values --------------------------------------------------

test('rules + every reporter: values carried by observations never reach a report', async () => {
  const { cookieObservationFromHeader } = await import('../../src/cookies/observe.js');
  const { runRules } = await import('../../src/rules/index.js');
  const V = 'Zx9-very-secret-cookie-value-77aa';
  const https = (url: string): LiveDelivery => ({
    url,
    scheme: 'https' as const,
    status: 200,
    hop: 0,
    requestedUrl: url,
    redirect: false,
    probe: 'https',
  });
  const http = (url: string): LiveDelivery => ({ ...https(url), scheme: 'http', probe: 'http-twin' });
  const headers: [string, LiveDelivery][] = [
    [`sid=${V}; Path=/`, https('https://a.test/')],
    [`PHPSESSID=${V}; SameSite=None`, https('https://a.test/')],
    [`__Host-session=${V}; Path=/app; Secure`, https('https://a.test/')],
    [`__Secure-id=${V}`, https('https://a.test/')],
    [`connect.sid=${V}; Domain=test; SameSite=Bogus`, https('https://a.test/')],
    [`JSESSIONID=${V}; Max-Age=99999999; Secure`, https('https://a.test/')],
    [`big=${V}${'x'.repeat(5000)}; Secure; HttpOnly`, https('https://a.test/')],
    [`sessionid=${V}; HttpOnly`, http('http://a.test/')],
    [`laravel_session=${V}; Expires=not a date; Max-Age=abc; Secure; Secure`, https('https://a.test/')],
  ];
  const observations: Observation[] = headers.map(([h, d]) => cookieObservationFromHeader(h, d));
  observations.push({
    kind: 'session-id-in-url',
    source: 'live',
    url: `https://a.test/cart;jsessionid=${V}`,
    where: 'location',
    parameter: 'jsessionid',
    value: V,
  });
  const findings = runRules(observations);
  assert.ok(findings.length >= headers.length, `expected findings, got ${findings.length}`);
  for (const format of FORMATS) {
    const plain = render(format, makeReport(findings), base);
    assert.ok(!plain.includes(V), `${format}: a rule put a cookie value in a finding`);
    const scrubbed = render(format, makeReport(scrubFindings(findings, secretsOf(observations))), base);
    assert.ok(!scrubbed.includes(V), format);
  }
  const shown = render('json', makeReport(findings), { ...base, showValues: true });
  assert.ok(shown.includes(V), '--show-values shows the raw evidence');
});
