import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderText } from '../../src/report/text.js';
import type { RenderOptions } from '../../src/report/types.js';
import {
  SECRET,
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
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

test('text: grouped by file / URL, then cookie, with every part of a finding', () => {
  const out = renderText(makeReport([codeFinding, liveFinding, siteFinding]), base);
  const lines = out.split('\n');
  const iFile = lines.indexOf('config/php.ini');
  const iUrl = lines.indexOf('https://app.example.test/login');
  assert.ok(iFile >= 0 && iUrl > iFile, out);
  assert.ok(lines.includes('  cookie PHPSESSID'));
  assert.ok(lines.includes('  (site)'));
  assert.ok(lines.includes('  cookie sid'));
  assert.match(out, /HIGH {3}cookie-missing-secure {2}config\/php\.ini:9:1/);
  assert.match(out, /The session cookie PHPSESSID is sent over plain HTTP/);
  assert.match(out, /browser: +Browsers send PHPSESSID over http:\/\/ requests too\./);
  assert.match(out, /why: +PHPSESSID is PHP’s default session cookie/);
  assert.match(out, /evidence: +session\.cookie_secure = Off/);
  assert.match(out, /fix: +Set session\.cookie_secure = 1/);
  assert.match(out, /\| {3}9 \| session\.cookie_secure = Off/);
  assert.match(out, /related: +src\/login\.php:3:1 {2}session_start\(\) here/);
  assert.match(out, /related: +http:\/\/app\.example\.test\/login {2}also set over HTTP/);
  // the URL group does not repeat the URL per finding
  assert.equal(out.split('https://app.example.test/login').length - 1, 1);
});

test('text: summary counts by severity, suppressed and errors; verdict follows --fail-on', () => {
  const out = renderText(makeReport(allFindings, errors), { ...base, suppressed: 2 });
  assert.match(out, /5 findings \(1 high, 2 medium, 1 low, 1 info\); 2 suppressed by config; 2 errors/);
  assert.match(out, /FAIL: 3 findings at or above --fail-on medium/);
  assert.match(out, /Errors \(not collected\):\n {2}https:\/\/down\.example\.test\/: connection refused/);
  assert.match(out, / {2}src\/unreadable\.php: permission denied/);
  const high = renderText(makeReport([siteFinding]), { ...base, failOn: 'high' });
  assert.match(high, /PASS: no finding at or above --fail-on high/);
  const failed = renderText(makeReport([], errors), { ...base, executionSuccessful: false });
  assert.match(failed, /ERROR: the run could not do its job/);
  assert.doesNotMatch(failed, /PASS/);
  const none = renderText(makeReport(allFindings), { ...base, failOn: 'none' });
  assert.doesNotMatch(none, /PASS|FAIL/);
});

test('text: no findings says so', () => {
  const out = renderText(makeReport([]), base);
  assert.match(out, /^No findings\.\n\n0 findings \(0 high, 0 medium, 0 low, 0 info\); 0 errors\nPASS/);
});

test('text: colour only when asked', () => {
  assert.doesNotMatch(renderText(makeReport(allFindings, errors), base), ANSI);
  assert.match(renderText(makeReport(allFindings, errors), { ...base, color: true }), ANSI);
});

test('text: control characters from hostile input are shown escaped, never sent to the terminal', () => {
  const out = renderText(makeReport([infoFinding, { ...siteFinding, message: 'bad\u001b[2Jclear' }]), base);
  assert.ok(!out.includes('\u0001') && !out.includes('\u001b'));
  assert.match(out, /\\x01/);
  assert.match(out, /bad\\x1b\[2Jclear/);
});

test('text: evidence redacted unless --show-values', () => {
  assert.ok(!renderText(makeReport([liveFinding]), base).includes(SECRET));
  assert.ok(renderText(makeReport([liveFinding]), { ...base, showValues: true }).includes(SECRET));
});
