import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { escapeAttr, escapeText } from '../../src/report/escape.js';
import { renderJunit } from '../../src/report/junit.js';
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
} from './fixtures.js';

const base: RenderOptions = { showValues: false, color: false, failOn: 'medium', suppressed: 0, rules };

type Node = Record<string, unknown>;
function parse(xml: string): Node {
  const valid = XMLValidator.validate(xml);
  assert.equal(valid, true, JSON.stringify(valid));
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (name) => ['testsuite', 'testcase'].includes(name),
  });
  return parser.parse(xml) as Node;
}

function suites(xml: string): Node[] {
  return (parse(xml).testsuites as Node).testsuite as Node[];
}

test('junit: one suite per file / URL, one case per (rule, cookie, location); failures at or above --fail-on', () => {
  const xml = renderJunit(makeReport(allFindings), base);
  const doc = parse(xml);
  const root = doc.testsuites as Node;
  assert.equal(root.name, 'cookieguard');
  const s = root.testsuite as Node[];
  assert.deepEqual(
    s.map((x) => x.name),
    [
      'config/php.ini',
      'test/fixtures/a & b <x>.js',
      'https://app.example.test/login',
      'https://other.example.test/',
    ],
  );
  const php = s[0]!;
  assert.equal(php.tests, '1');
  assert.equal(php.failures, '1');
  const tc = (php.testcase as Node[])[0]!;
  assert.equal(tc.name, 'cookie-missing-secure PHPSESSID (line 9)');
  assert.equal(tc.classname, 'config/php.ini');
  assert.equal(tc.file, 'config/php.ini');
  assert.equal(tc.line, '9');
  const failure = tc.failure as Node;
  assert.equal(failure.type, 'cookie-missing-secure');
  assert.match(String(failure.message), /^\[high\] The session cookie PHPSESSID/);
  assert.match(String(failure['#text']), /fix: Set session\.cookie_secure = 1/);

  const live = s[2]!;
  assert.equal(live.tests, '2');
  assert.equal(live.failures, '1'); // httponly (medium) fails, hsts-missing (low) passes
  const hsts = (live.testcase as Node[]).find((c) => String(c.name) === 'hsts-missing')!;
  assert.equal(hsts.failure, undefined);
  assert.match(
    String(hsts['system-out']),
    /\[low\] hsts-missing: No Strict-Transport-Security header\n[\s\S]*\(below --fail-on medium\)/,
  );

  assert.equal(root.tests, '5');
  assert.equal(root.failures, '3');
});

test('junit: --fail-on none makes every case pass; --fail-on info fails every finding', () => {
  const none = suites(renderJunit(makeReport(allFindings), { ...base, failOn: 'none' }));
  assert.equal(
    none.reduce((n, s) => n + Number(s.failures), 0),
    0,
  );
  const info = suites(renderJunit(makeReport(allFindings), { ...base, failOn: 'info' }));
  assert.equal(
    info.reduce((n, s) => n + Number(s.failures), 0),
    5,
  );
});

test('junit: collection errors are <error> cases in the suite of their URL or file', () => {
  const s = suites(renderJunit(makeReport([], errors), base));
  assert.deepEqual(
    s.map((x) => [x.name, x.errors]),
    [
      ['https://down.example.test/', '1'],
      ['src/unreadable.php', '1'],
    ],
  );
  const err = (s[0]!.testcase as Node[])[0]!.error as Node;
  assert.equal(err.message, 'connection refused by down.example.test:443');
});

test('junit: a clean run still has one passing test case', () => {
  const s = suites(renderJunit(makeReport([]), base));
  assert.equal(s.length, 1);
  assert.equal(s[0]!.tests, '1');
  assert.equal(s[0]!.failures, '0');
});

test('junit: markup, quotes and control characters are escaped and survive a real parser', () => {
  const nasty = {
    ...siteFinding,
    severity: 'high' as const,
    message: `a <b> & "c" 'd' ]]> \u0001\u0008 \ud800 end`,
  };
  const s = suites(renderJunit(makeReport([nasty, infoFinding, liveFinding, codeFinding]), base));
  const live = s.find((x) => x.name === 'https://app.example.test/login')!;
  const tc = (live.testcase as Node[]).find((c) => String(c.name) === 'hsts-missing')!;
  const failure = tc.failure as Node;
  // Invalid XML characters are written as visible \uXXXX escapes; everything else round-trips.
  assert.equal(failure.message, `[high] a <b> & "c" 'd' ]]> \\u0001\\u0008 \\ud800 end`);
  assert.ok(s.some((x) => x.name === 'test/fixtures/a & b <x>.js'));
});

test('junit: escape helpers', () => {
  assert.equal(escapeText('<&>'), '&lt;&amp;&gt;');
  assert.equal(escapeAttr('"\'\n\t'), '&quot;&apos;&#10;&#9;');
});
