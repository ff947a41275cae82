import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderText } from '../../src/report/text.js';
import type { Finding } from '../../src/model/finding.js';
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
const explain: RenderOptions = { ...base, explain: true };
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

test('text --explain: grouped by file / URL, then cookie, with every part of a finding', () => {
  const out = renderText(makeReport([codeFinding, liveFinding, siteFinding]), explain);
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
  const out = renderText(
    makeReport([infoFinding, { ...siteFinding, message: 'bad\u001b[2Jclear' }]),
    explain,
  );
  assert.ok(!out.includes('\u0001') && !out.includes('\u001b'));
  assert.match(out, /\\x01/);
  assert.match(out, /bad\\x1b\[2Jclear/);
});

test('text: evidence redacted unless --show-values', () => {
  assert.ok(!renderText(makeReport([liveFinding]), base).includes(SECRET));
  assert.ok(renderText(makeReport([liveFinding]), { ...explain, showValues: true }).includes(SECRET));
});

test('text (compact): one block per cookie, one entry per rule, why once, fix once, browser once per rule', () => {
  const second: Finding = {
    ...codeFinding,
    location: { file: 'public/.htaccess', line: 4, column: 1 },
    message: `The session cookie PHPSESSID (${codeFinding.classification!}) is sent over plain HTTP: php_flag session.cookie_secure off`,
  };
  const out = renderText(makeReport([codeFinding, second, liveFinding, siteFinding]), base);
  const lines = out.split('\n');
  // blocks: worst first, site-wide last
  const iPhp = lines.findIndex((l) => l.startsWith('cookie PHPSESSID'));
  const iSid = lines.findIndex((l) => l.startsWith('cookie sid'));
  const iSite = lines.findIndex((l) => l.startsWith('site-wide'));
  assert.ok(iPhp >= 0 && iSid > iPhp && iSite > iSid, out);
  assert.match(lines[iPhp]!, /\(2 findings\)/);
  // the classification is said once, as "why", and taken out of the message
  assert.equal(out.split('PHP’s default session cookie').length - 1, 1, out);
  assert.match(out, /HIGH {3}cookie-missing-secure {2}\(2\)/);
  assert.match(out, /config\/php\.ini:9: The session cookie PHPSESSID is sent over plain HTTP/);
  assert.match(out, /also: public\/\.htaccess:4/);
  assert.match(out, /linked: src\/login\.php:3:1/);
  assert.equal(out.split('fix: Set session.cookie_secure = 1').length - 1, 1, 'one fix per rule');
  // the browser consequence is printed once per rule, after the findings
  assert.equal(out.split('Browsers send PHPSESSID over http:// requests too.').length - 1, 1);
  assert.ok(out.indexOf('What browsers do') > out.indexOf('site-wide'));
  // the long parts stay in --explain
  assert.doesNotMatch(out, /evidence:|\| session\.cookie_secure = Off/);
  // summary table by cookie, then the verdict
  assert.match(out, /cookie +high +medium +low +info +total/);
  assert.match(out, /PHPSESSID +2 +- +- +- +2/);
  assert.match(out, /total +2 +1 +1 +0 +4/);
  assert.match(out, /by source: code 2, live 2/);
  assert.match(out, /FAIL: 3 findings at or above --fail-on medium\n$/);
});

test('text (compact): every line fits the width, long words aside', () => {
  const long: Finding = { ...liveFinding, message: 'word '.repeat(60), fix: 'fix '.repeat(50) };
  for (const width of [80, 100]) {
    const out = renderText(makeReport([long, codeFinding, siteFinding], errors), { ...base, width });
    for (const l of out.split('\n')) assert.ok(l.length <= width, `${l.length} > ${width}: ${l}`);
  }
});

test('text (compact): summary counts, errors and verdicts as in --explain', () => {
  const out = renderText(makeReport(allFindings, errors), { ...base, suppressed: 2 });
  assert.match(out, /5 findings \(1 high, 2 medium, 1 low, 1 info\); 2 suppressed by config; 2 errors/);
  assert.match(out, /Errors \(not collected\):\n {2}https:\/\/down\.example\.test\/: connection refused/);
  assert.match(out, /FAIL: 3 findings at or above --fail-on medium/);
  const failed = renderText(makeReport([], errors), { ...base, executionSuccessful: false });
  assert.match(failed, /^No findings\./);
  assert.match(failed, /ERROR: the run could not do its job/);
  // hostile input escaped in compact mode too
  const hostile = renderText(
    makeReport([infoFinding, { ...siteFinding, message: 'bad\u001b[2Jclear' }]),
    base,
  );
  assert.ok(!hostile.includes('\u0001') && !hostile.includes('\u001b'));
  assert.ok(!renderText(makeReport([liveFinding]), base).includes(SECRET));
});
