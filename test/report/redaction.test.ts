import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATS, render } from '../../src/report/index.js';
import type { RenderOptions } from '../../src/report/types.js';
import { REDACTED, scrubErrors, scrubFindings, secretsOf } from '../../src/cli/secrets.js';
import type { CookieObservation, Observation } from '../../src/model/observation.js';
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
    const hidden = render(format, makeReport(allFindings, errors), base);
    assert.ok(!hidden.includes(SECRET), `${format} leaked the value`);
    assert.ok(hidden.includes('sid=<redacted>') || hidden.includes('sid=&lt;redacted&gt;'), format);
    const shown = render(format, makeReport(allFindings, errors), { ...base, showValues: true });
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
