import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FINGERPRINT_KEY,
  relativeUri,
  renderSarif,
  ruleName,
  sarifLevel,
  toSarif,
} from '../../src/report/sarif.js';
import type { RenderOptions } from '../../src/report/types.js';
import {
  allFindings,
  codeFinding,
  errors,
  infoFinding,
  liveFinding,
  makeReport,
  rules,
  siteFinding,
  unknownRuleFinding,
} from './fixtures.js';
import { sarifValidator } from './sarif-schema.js';

const base: RenderOptions = {
  showValues: false,
  color: false,
  failOn: 'medium',
  suppressed: 0,
  rules,
  srcRoot: '/work/app root',
};
const schema = sarifValidator();

test('sarif: the report validates against the OASIS SARIF 2.1.0 schema', (t) => {
  if ('missing' in schema) {
    t.skip(schema.missing);
    return;
  }
  for (const report of [makeReport(allFindings, errors), makeReport([]), makeReport([siteFinding])]) {
    const log = JSON.parse(renderSarif(report, base));
    const ok = schema.validate(log);
    assert.ok(ok, JSON.stringify(schema.validate.errors, null, 2));
  }
});

test('sarif: the schema check can fail (a broken log is rejected)', (t) => {
  if ('missing' in schema) {
    t.skip(schema.missing);
    return;
  }
  const log = toSarif(makeReport([codeFinding]), base) as unknown as {
    runs: { results: { level: string }[] }[];
  };
  log.runs[0]!.results[0]!.level = 'fatal';
  assert.equal(schema.validate(log), false);
});

test('sarif: driver rules come from rule metadata, with levels, tags, precision and security-severity', () => {
  const log = toSarif(makeReport([]), base);
  const driver = log.runs[0]!.tool.driver;
  assert.equal(driver.name, 'cookieguard');
  assert.deepEqual(
    driver.rules.map((r) => r.id),
    rules.map((r) => r.id),
  );
  const secure = driver.rules[0]!;
  assert.equal(secure.name, 'CookieMissingSecure');
  assert.equal(secure.shortDescription.text, 'Cookie without Secure');
  assert.equal(secure.fullDescription.text, 'A cookie without Secure is sent over plain HTTP.');
  assert.match(secure.help.text, /RFC 6265bis section 5\.7/);
  assert.equal(secure.defaultConfiguration.level, 'error');
  assert.deepEqual(secure.properties.tags, ['security', 'external/cwe/cwe-614']);
  assert.equal(secure.properties.precision, 'high');
  assert.equal(secure.properties['security-severity'], '8.0');
  assert.equal(driver.rules[1]!.defaultConfiguration.level, 'warning');
});

test('sarif: levels follow spec/findings.md', () => {
  assert.equal(sarifLevel('high'), 'error');
  assert.equal(sarifLevel('medium'), 'warning');
  assert.equal(sarifLevel('low'), 'note');
  assert.equal(sarifLevel('info'), 'note');
});

test('sarif: a code finding has a %SRCROOT%-relative location with region, related locations and a fix', () => {
  const log = toSarif(makeReport([codeFinding, infoFinding]), base);
  const run = log.runs[0]!;
  assert.equal(run.originalUriBaseIds!['%SRCROOT%']!.uri, 'file:///work/app%20root/');
  const r = run.results.find((x) => x.properties.cookie === 'PHPSESSID')!;
  assert.equal(r.ruleId, 'cookie-missing-secure');
  assert.equal(run.tool.driver.rules[r.ruleIndex]!.id, r.ruleId);
  assert.equal(r.level, 'error');
  assert.match(r.message.text, /^The session cookie PHPSESSID .*\nFix: Set session\.cookie_secure = 1/);
  assert.deepEqual(r.locations[0]!.physicalLocation, {
    artifactLocation: { uri: 'config/php.ini', uriBaseId: '%SRCROOT%' },
    region: { startLine: 9, startColumn: 1, endLine: 9, endColumn: 28 },
  });
  assert.deepEqual(r.relatedLocations, [
    {
      id: 0,
      physicalLocation: {
        artifactLocation: { uri: 'src/login.php', uriBaseId: '%SRCROOT%' },
        region: { startLine: 3, startColumn: 1 },
      },
      message: { text: 'session_start() here' },
    },
  ]);
  assert.deepEqual(r.fixes, [
    {
      description: { text: 'Turn session.cookie_secure on' },
      artifactChanges: [
        {
          artifactLocation: { uri: 'config/php.ini', uriBaseId: '%SRCROOT%' },
          replacements: [
            {
              deletedRegion: { startLine: 9, startColumn: 25, endLine: 9, endColumn: 28 },
              insertedContent: { text: '1' },
            },
          ],
        },
      ],
    },
  ]);
  const info = run.results.find((x) => x.properties.cookie === 'theme')!;
  assert.equal(info.level, 'note');
  assert.equal(
    info.locations[0]!.physicalLocation!.artifactLocation.uri,
    'test/fixtures/a%20%26%20b%20%3Cx%3E.js',
  );
});

test('sarif: a live finding is located at its URL, with the cookie as a logical location', () => {
  const run = toSarif(makeReport([liveFinding, siteFinding]), base).runs[0]!;
  const r = run.results.find((x) => x.ruleId === 'cookie-missing-httponly')!;
  assert.equal(r.level, 'warning');
  assert.deepEqual(r.locations, [
    {
      physicalLocation: { artifactLocation: { uri: 'https://app.example.test/login' } },
      logicalLocations: [
        { name: 'sid', fullyQualifiedName: 'https://app.example.test/login cookie sid', kind: 'resource' },
      ],
    },
  ]);
  assert.deepEqual(r.relatedLocations, [
    {
      id: 0,
      physicalLocation: { artifactLocation: { uri: 'http://app.example.test/login' } },
      message: { text: 'also set over HTTP' },
    },
  ]);
  const site = run.results.find((x) => x.ruleId === 'hsts-missing')!;
  assert.equal(site.level, 'note');
  assert.equal(site.locations[0]!.logicalLocations![0]!.name, 'https://app.example.test/login');
});

test('sarif: a rule missing from the metadata gets a descriptor, so ruleIndex stays valid', () => {
  const run = toSarif(makeReport([unknownRuleFinding, codeFinding]), base).runs[0]!;
  for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex]!.id, r.ruleId);
  assert.equal(run.tool.driver.rules.length, rules.length + 1);
});

test('sarif: partial fingerprints are stable per (rule, cookie, file/url), not per line or message', () => {
  const fp = (f: typeof codeFinding) =>
    toSarif(makeReport([f]), base).runs[0]!.results[0]!.partialFingerprints[FINGERPRINT_KEY];
  const a = fp(codeFinding);
  assert.match(a!, /^[0-9a-f]{32}:1$/);
  assert.equal(fp({ ...codeFinding, location: { ...codeFinding.location!, line: 40 }, message: 'moved' }), a);
  assert.notEqual(fp({ ...codeFinding, cookie: 'other' }), a);
  assert.notEqual(fp({ ...codeFinding, rule: 'cookie-missing-httponly' }), a);
  assert.notEqual(fp({ ...codeFinding, location: { ...codeFinding.location!, file: 'php.ini' } }), a);
  // two results sharing (rule, cookie, file) stay distinct
  const two = toSarif(
    makeReport([codeFinding, { ...codeFinding, location: { ...codeFinding.location!, line: 20 } }]),
    base,
  );
  const fps = two.runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
  assert.equal(new Set(fps).size, 2);
});

test('sarif: errors become tool execution notifications; executionSuccessful follows the run', () => {
  const inv = toSarif(makeReport([], errors), { ...base, executionSuccessful: false }).runs[0]!
    .invocations[0]!;
  assert.equal(inv.executionSuccessful, false);
  assert.deepEqual(
    inv.toolExecutionNotifications.map((n) => [
      n.level,
      n.message.text,
      n.locations?.[0]?.physicalLocation?.artifactLocation.uri,
    ]),
    [
      ['error', 'connection refused by down.example.test:443', 'https://down.example.test/'],
      ['error', 'permission denied', 'src/unreadable.php'],
    ],
  );
  assert.equal(toSarif(makeReport([]), base).runs[0]!.invocations[0]!.executionSuccessful, true);
});

test('sarif: no %SRCROOT% base without a source root', () => {
  assert.equal(
    toSarif(makeReport([liveFinding]), { ...base, srcRoot: null }).runs[0]!.originalUriBaseIds,
    undefined,
  );
});

test('sarif: helpers', () => {
  assert.equal(ruleName('session-id-in-url'), 'SessionIdInUrl');
  assert.equal(relativeUri('a b/c#d/e?.ts'), 'a%20b/c%23d/e%3F.ts');
});
