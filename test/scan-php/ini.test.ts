import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePhpIni } from '../../src/collect/code/php/ini.js';
import { extractIni } from '../../src/collect/code/php/extractors.js';
import { iniBool } from '../../src/collect/code/php/values.js';
import { PHP_AVAILABLE, runPhp, runPhpBatch, runPhpRaw } from './php.js';

// ---------------------------------------------------------------------------------------------
// Table: text → entries (key, value, line, column). `value` null means "unknown" (PHP rejects it).

interface Case {
  name: string;
  text: string;
  entries: { key: string; value: string | null; line: number; column: number; section?: string | null }[];
}

const cases: Case[] = [
  { name: 'comment with ;', text: '; session.cookie_secure = 0\n', entries: [] },
  { name: 'comment with # at line start', text: '# session.cookie_secure = 0\n', entries: [] },
  { name: 'indented comment', text: '   ; session.cookie_secure = 0\n', entries: [] },
  { name: 'section only', text: '[Session]\n', entries: [] },
  { name: 'blank lines', text: '\n\n  \n', entries: [] },
  { name: 'bare word line (no =)', text: 'extension\n', entries: [] },
  {
    name: '1',
    text: 'session.cookie_secure = 1',
    entries: [{ key: 'session.cookie_secure', value: '1', line: 1, column: 1 }],
  },
  {
    name: 'On',
    text: 'session.cookie_secure = On',
    entries: [{ key: 'session.cookie_secure', value: '1', line: 1, column: 1 }],
  },
  {
    name: 'TRUE',
    text: 'session.cookie_secure=TRUE',
    entries: [{ key: 'session.cookie_secure', value: '1', line: 1, column: 1 }],
  },
  {
    name: 'Yes',
    text: 'session.cookie_secure = Yes',
    entries: [{ key: 'session.cookie_secure', value: '1', line: 1, column: 1 }],
  },
  {
    name: 'Off',
    text: 'session.cookie_secure = Off',
    entries: [{ key: 'session.cookie_secure', value: '', line: 1, column: 1 }],
  },
  {
    name: 'False',
    text: 'session.cookie_secure = False',
    entries: [{ key: 'session.cookie_secure', value: '', line: 1, column: 1 }],
  },
  {
    name: 'No',
    text: 'session.cookie_secure = No',
    entries: [{ key: 'session.cookie_secure', value: '', line: 1, column: 1 }],
  },
  {
    name: 'None',
    text: 'session.cookie_samesite = None',
    entries: [{ key: 'session.cookie_samesite', value: '', line: 1, column: 1 }],
  },
  {
    name: 'null',
    text: 'session.cookie_secure = null',
    entries: [{ key: 'session.cookie_secure', value: '', line: 1, column: 1 }],
  },
  {
    name: 'empty',
    text: 'session.cookie_secure =',
    entries: [{ key: 'session.cookie_secure', value: '', line: 1, column: 1 }],
  },
  {
    name: 'empty quotes',
    text: 'session.cookie_secure = ""',
    entries: [{ key: 'session.cookie_secure', value: '', line: 1, column: 1 }],
  },
  {
    name: 'quoted "None" stays',
    text: 'session.cookie_samesite = "None"',
    entries: [{ key: 'session.cookie_samesite', value: 'None', line: 1, column: 1 }],
  },
  {
    name: 'quoted "off" stays a string',
    text: 'session.cookie_secure = "off"',
    entries: [{ key: 'session.cookie_secure', value: 'off', line: 1, column: 1 }],
  },
  {
    name: 'trailing comment',
    text: 'session.cookie_secure = 1 ; on in prod',
    entries: [{ key: 'session.cookie_secure', value: '1', line: 1, column: 1 }],
  },
  {
    name: 'bool then comment',
    text: 'session.cookie_secure = true ; c',
    entries: [{ key: 'session.cookie_secure', value: '1', line: 1, column: 1 }],
  },
  {
    name: 'quoted then comment',
    text: 'session.name = "APPSESS" ; x',
    entries: [{ key: 'session.name', value: 'APPSESS', line: 1, column: 1 }],
  },
  {
    name: 'raw single quotes keep ;',
    text: "session.cookie_path = '/a;b'",
    entries: [{ key: 'session.cookie_path', value: '/a;b', line: 1, column: 1 }],
  },
  {
    name: 'escaped quote',
    text: 'session.cookie_path = "a\\"b"',
    entries: [{ key: 'session.cookie_path', value: 'a"b', line: 1, column: 1 }],
  },
  {
    name: 'escaped backslash',
    text: 'session.cookie_path = "a\\\\b\\nc"',
    entries: [{ key: 'session.cookie_path', value: 'a\\b\\nc', line: 1, column: 1 }],
  },
  {
    name: 'concatenation',
    text: 'session.cookie_path = "1" "2"',
    entries: [{ key: 'session.cookie_path', value: '12', line: 1, column: 1 }],
  },
  {
    name: 'mixed concatenation',
    text: 'session.cookie_path = a"b"c',
    entries: [{ key: 'session.cookie_path', value: 'abc', line: 1, column: 1 }],
  },
  {
    name: 'word not a boolean',
    text: 'session.cookie_samesite = Strict',
    entries: [{ key: 'session.cookie_samesite', value: 'Strict', line: 1, column: 1 }],
  },
  {
    name: 'yesno is not yes',
    text: 'session.cookie_path = yesno',
    entries: [{ key: 'session.cookie_path', value: 'yesno', line: 1, column: 1 }],
  },
  {
    name: 'inline # is not a comment',
    text: 'session.cookie_path = /x#y',
    entries: [{ key: 'session.cookie_path', value: '/x#y', line: 1, column: 1 }],
  },
  {
    name: 'boolean word then text is a syntax error',
    text: 'session.name = On foo',
    entries: [{ key: 'session.name', value: null, line: 1, column: 1 }],
  },
  {
    name: 'indented key, line numbers, sections',
    text: '[PHP]\n; comment\n  session.cookie_httponly = 1\n[HOST=example.com]\nsession.cookie_secure = 0\n',
    entries: [
      { key: 'session.cookie_httponly', value: '1', line: 3, column: 3, section: 'PHP' },
      { key: 'session.cookie_secure', value: '0', line: 5, column: 1, section: 'HOST=example.com' },
    ],
  },
  {
    name: 'multi-line quoted value keeps line count',
    text: 'session.cookie_path = "a\nb"\nsession.cookie_secure = 1\n',
    entries: [
      { key: 'session.cookie_path', value: 'a\nb', line: 1, column: 1 },
      { key: 'session.cookie_secure', value: '1', line: 3, column: 1 },
    ],
  },
  {
    name: 'CRLF line ends',
    text: 'a = 1\r\nsession.cookie_secure = Off\r\n',
    entries: [
      { key: 'a', value: '1', line: 1, column: 1 },
      { key: 'session.cookie_secure', value: '', line: 2, column: 1 },
    ],
  },
];

for (const c of cases) {
  test(`php ini: ${c.name}`, () => {
    const got = parsePhpIni(c.text).map((e) => ({
      key: e.key,
      value: e.value.kind === 'literal' ? e.value.value : null,
      line: e.line,
      column: e.column,
      ...(c.entries.some((x) => 'section' in x) ? { section: e.section } : {}),
    }));
    assert.deepEqual(got, c.entries);
  });
}

test('php ini: ${VAR} is an environment value', () => {
  const [e] = parsePhpIni('session.cookie_secure = ${COOKIE_SECURE}\n');
  assert.deepEqual(e!.value, { kind: 'env', variable: 'COOKIE_SECURE', expression: '${COOKIE_SECURE}' });
});

test('php ini extractor: only session keys, with via and line; decoys produce nothing', () => {
  const text = [
    '[PHP]',
    'memory_limit = 128M',
    '; session.cookie_secure = 1',
    '# session.cookie_secure = 1',
    'session.cookie_secure = Off',
    'session.auto_start = 1',
  ].join('\n');
  const facts = extractIni({ file: 'docker/php.ini', absPath: '/x', text });
  assert.deepEqual(
    facts.map((f) => [
      f.type,
      f.type === 'setting' ? f.key : null,
      f.location.line,
      f.type === 'setting' ? f.via : null,
    ]),
    [
      ['setting', 'session.cookie_secure', 5, 'php.ini'],
      ['setting', 'session.auto_start', 6, 'php.ini'],
      ['session-enabled', null, 6, null],
    ],
  );
  const user = extractIni({ file: 'public/.user.ini', absPath: '/x', text: 'session.cookie_httponly=1' });
  assert.equal(user[0]!.type === 'setting' && user[0]!.via, '.user.ini');
});

test('php ini: never throws on garbage', () => {
  for (const t of ['"', "'", '[', '=', 'a = "unterminated', "a = 'x", '\u0000\uFFFF', '='.repeat(10000)]) {
    assert.doesNotThrow(() => parsePhpIni(t));
  }
});

// ---------------------------------------------------------------------------------------------
// Oracle: PHP itself reads the same text (php -n -c file.ini).

const ORACLE_VALUES = [
  '1',
  'On',
  'on',
  'TRUE',
  'Yes',
  '0',
  'Off',
  'False',
  'No',
  'None',
  'null',
  '""',
  '',
  '"On"',
  '"off"',
  '"yes"',
  'true ; comment',
  '2',
  '"0"',
  'auto',
  '"1" ; c',
  "'raw;x'",
  '"a\\"b"',
  'a"b"c',
  '"1" "2"',
  'Strict',
  '/x#y',
  'yesno',
  ' spaced  ',
  'a b',
  'abc def ghi',
];
/** PHP reports a syntax error for these; we report unknown (checked below). */
const ORACLE_SYNTAX_ERRORS = ['foo On', 'Off bar', 'x yes', 'on"x"', '"x"on', 'None "x"'];

test(
  'php ini oracle: string values match PHP (error_prepend_string)',
  { skip: !PHP_AVAILABLE && 'php-cli not installed' },
  () => {
    for (const v of ORACLE_VALUES) {
      const text = `error_prepend_string = ${v}\n`;
      const php = JSON.parse(runPhp('echo json_encode(ini_get("error_prepend_string"));', text)) as string;
      const ours = parsePhpIni(text)[0]!;
      assert.equal(ours.value.kind, 'literal', `value ${v}`);
      assert.equal(ours.value.kind === 'literal' ? ours.value.value : null, php, `value [${v}]`);
    }
  },
);

test(
  'php ini oracle: PHP rejects what we report as unknown',
  { skip: !PHP_AVAILABLE && 'php-cli not installed' },
  () => {
    for (const v of ORACLE_SYNTAX_ERRORS) {
      const text = `error_prepend_string = ${v}\n`;
      const r = runPhpRaw('echo 1;', text);
      assert.match(`${r.stdout}${r.stderr}`, /syntax error/, `PHP accepts [${v}]`);
      assert.equal(parsePhpIni(text)[0]!.value.kind, 'unknown', `value [${v}]`);
    }
  },
);

test(
  'php ini oracle: session.cookie_secure as PHP applies it (session_get_cookie_params)',
  { skip: !PHP_AVAILABLE && 'php-cli not installed' },
  () => {
    for (const v of ORACLE_VALUES) {
      const text = `session.cookie_secure = ${v}\n`;
      const [php] = runPhpBatch(['return session_get_cookie_params()["secure"];'], text) as boolean[];
      const ours = parsePhpIni(text)[0]!;
      const mine = ours.value.kind === 'literal' ? iniBool(ours.value.value) : null;
      assert.equal(mine, php, `session.cookie_secure = [${v}]`);
    }
  },
);

test(
  'php ini oracle: unquoted None for SameSite gives no SameSite at all',
  { skip: !PHP_AVAILABLE && 'php-cli not installed' },
  () => {
    const [unquoted, quoted] = [
      runPhpBatch(['return ini_get("session.cookie_samesite");'], 'session.cookie_samesite = None\n')[0],
      runPhpBatch(['return ini_get("session.cookie_samesite");'], 'session.cookie_samesite = "None"\n')[0],
    ];
    assert.equal(unquoted, '');
    assert.equal(quoted, 'None');
  },
);
