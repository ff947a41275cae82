import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  filterBool,
  iniBool,
  laravelEnv,
  phpTruthy,
  symfonyEnvBool,
  toIniString,
  type Literal,
} from '../../src/collect/code/php/values.js';
import { PHP_AVAILABLE, runPhpBatch } from './php.js';

const STRINGS = [
  '',
  '0',
  '1',
  '2',
  '-1',
  'true',
  'True',
  'false',
  'on',
  'On',
  'off',
  'yes',
  'no',
  'none',
  'auto',
  ' 1',
  '1abc',
  '0.0',
  '0.5',
  'abc',
  'null',
];
const SCALARS: Literal[] = [...STRINGS, 0, 1, 2, true, false, null];

function phpLiteral(v: Literal): string {
  return v === null ? 'null' : typeof v === 'string' ? `'${v.replace(/'/g, "\\'")}'` : String(v);
}

test(
  'ini semantics: ini_set() / session_start() options parse booleans like PHP',
  { skip: !PHP_AVAILABLE && 'php-cli not installed' },
  () => {
    // One fresh PHP per value: session settings cannot change once a session is active.
    for (const v of SCALARS) {
      const [viaIniSet] = runPhpBatch([
        `ob_start(); ini_set('session.cookie_secure', ${phpLiteral(v)}); return session_get_cookie_params()['secure'];`,
      ]);
      assert.equal(iniBool(toIniString(v)), viaIniSet, `ini_set(${phpLiteral(v)})`);
      if (v === null) continue; // session_start() throws a TypeError for a null option (PHP 8)
      const [viaStart] = runPhpBatch([
        `ob_start(); @session_start(['cookie_secure' => ${phpLiteral(v)}, 'save_path' => sys_get_temp_dir()]); $p = session_get_cookie_params()['secure']; session_abort(); return $p;`,
      ]);
      assert.equal(iniBool(toIniString(v)), viaStart, `session_start(['cookie_secure' => ${phpLiteral(v)}])`);
    }
  },
);

test(
  'typed semantics: session_set_cookie_params() and setcookie() options use PHP truthiness',
  { skip: !PHP_AVAILABLE && 'php-cli not installed' },
  () => {
    const got = runPhpBatch(
      SCALARS.map(
        (v) =>
          `ob_start(); session_set_cookie_params(['secure' => ${phpLiteral(v)}]); return session_get_cookie_params()['secure'];`,
      ),
    );
    SCALARS.forEach((v, i) =>
      assert.equal(phpTruthy(v), got[i], `session_set_cookie_params(['secure' => ${phpLiteral(v)}])`),
    );
  },
);

test(
  'Symfony %env(bool:X)% matches EnvVarProcessor (filter_var chain)',
  { skip: !PHP_AVAILABLE && 'php-cli not installed' },
  () => {
    const got = runPhpBatch(
      STRINGS.map(
        (v) =>
          `$env = ${phpLiteral(v)}; return [(bool) (filter_var($env, FILTER_VALIDATE_BOOL) ?: filter_var($env, FILTER_VALIDATE_INT) ?: filter_var($env, FILTER_VALIDATE_FLOAT)), filter_var($env, FILTER_VALIDATE_BOOLEAN)];`,
      ),
    ) as [boolean, boolean][];
    STRINGS.forEach((v, i) => {
      assert.equal(symfonyEnvBool(v), got[i]![0], `bool:${v}`);
      assert.equal(filterBool(v), got[i]![1], `filter_var(${v})`);
    });
  },
);

test('Laravel env(): Env::get conversions (laravel/framework v11.21.0 Support/Env.php)', () => {
  const table: [string, Literal][] = [
    ['true', true],
    ['(true)', true],
    ['TRUE', true],
    ['false', false],
    ['(false)', false],
    ['empty', ''],
    ['(empty)', ''],
    ['null', null],
    ['(null)', null],
    ['"quoted"', 'quoted'],
    ["'single'", 'single'],
    ['1', '1'],
    ['0', '0'],
    ['', ''],
    ['off', 'off'],
  ];
  for (const [raw, want] of table) assert.equal(laravelEnv(raw), want, raw);
});

test('toIniString: how PHP passes scalars to an ini setting', () => {
  assert.equal(toIniString(true), '1');
  assert.equal(toIniString(false), '');
  assert.equal(toIniString(null), '');
  assert.equal(toIniString(0), '0');
  assert.equal(toIniString('Lax'), 'Lax');
});
