import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractHtaccess } from '../../src/collect/code/php/extractors.js';
import { modPhpValue, parseApacheConfig } from '../../src/collect/code/php/htaccess.js';

function settings(text: string): [string, string | null, number, number][] {
  return extractHtaccess({ file: 'public/.htaccess', absPath: '/x', text }).flatMap((f) =>
    f.type === 'setting'
      ? [
          [
            f.key,
            f.value.kind === 'literal' ? String(f.value.value) : null,
            f.location.line,
            f.location.column,
          ],
        ]
      : [],
  ) as [string, string | null, number, number][];
}

const valid: { name: string; text: string }[] = [
  { name: 'commented directive', text: '# php_flag session.cookie_secure off\n' },
  { name: 'indented comment', text: '   # php_value session.cookie_secure 0\n' },
  { name: 'other php setting', text: 'php_value upload_max_filesize 10M\n' },
  { name: 'php_admin_flag is not allowed in .htaccess', text: 'php_admin_flag session.cookie_secure off\n' },
  {
    name: 'excluded by <IfModule !mod_php.c>',
    text: '<IfModule !mod_php.c>\n  php_flag session.cookie_secure off\n</IfModule>\n',
  },
  {
    name: 'other directives',
    text: 'RewriteEngine On\nRewriteRule ^ index.php [L]\nHeader set X-Frame-Options DENY\n',
  },
];

const invalid: { name: string; text: string; settings: [string, string | null, number, number][] }[] = [
  {
    name: 'php_flag off',
    text: 'php_flag session.cookie_secure off\n',
    settings: [['session.cookie_secure', '0', 1, 1]],
  },
  {
    name: 'php_flag On',
    text: 'php_flag session.cookie_httponly On\n',
    settings: [['session.cookie_httponly', '1', 1, 1]],
  },
  {
    name: 'php_flag 1',
    text: 'php_flag session.cookie_secure 1\n',
    settings: [['session.cookie_secure', '1', 1, 1]],
  },
  // mod_php: only "On" or "1" are on; "yes" / "true" store "0".
  {
    name: 'php_flag yes is OFF',
    text: 'php_flag session.cookie_secure yes\n',
    settings: [['session.cookie_secure', '0', 1, 1]],
  },
  {
    name: 'php_value 0',
    text: 'php_value session.cookie_secure 0\n',
    settings: [['session.cookie_secure', '0', 1, 1]],
  },
  {
    name: 'php_value passes through',
    text: 'php_value session.cookie_samesite "Strict"\n',
    settings: [['session.cookie_samesite', 'Strict', 1, 1]],
  },
  {
    name: 'php_value none is empty',
    text: 'php_value session.cookie_domain none\n',
    settings: [['session.cookie_domain', '', 1, 1]],
  },
  {
    name: 'case-insensitive directive, indented',
    text: '\n    PHP_Flag session.use_only_cookies Off\n',
    settings: [['session.use_only_cookies', '0', 2, 5]],
  },
  {
    name: 'inside <IfModule mod_php7.c>',
    text: '<IfModule mod_php7.c>\n  php_flag session.cookie_secure on\n</IfModule>\n',
    settings: [['session.cookie_secure', '1', 2, 3]],
  },
  {
    name: 'quoted with escaped quote',
    text: 'php_value session.name "A\\"B"\n',
    settings: [['session.name', 'A"B', 1, 1]],
  },
  {
    name: 'three arguments: Apache rejects it',
    text: 'php_flag session.cookie_secure off # comment\n',
    settings: [['session.cookie_secure', null, 1, 1]],
  },
  {
    name: 'line continuation',
    text: 'php_value session.cookie_samesite \\\n  Lax\nphp_flag session.cookie_secure on\n',
    settings: [
      ['session.cookie_samesite', 'Lax', 1, 1],
      ['session.cookie_secure', '1', 3, 1],
    ],
  },
];

for (const c of valid) {
  test(`htaccess valid: ${c.name}`, () => assert.deepEqual(settings(c.text), []));
}
for (const c of invalid) {
  test(`htaccess invalid: ${c.name}`, () => assert.deepEqual(settings(c.text), c.settings));
}

test('htaccess: tokenizer keeps section stack', () => {
  const d = parseApacheConfig(
    '<IfModule mod_php.c>\n<Files "x.php">\nphp_value session.name X\n</Files>\n</IfModule>\n',
  );
  assert.deepEqual(d[0]!.sections, ['<IfModule mod_php.c>', '<Files "x.php">']);
});

test('htaccess: mod_php value rules', () => {
  const args = (v: string) => [
    { text: 'k', line: 1, column: 1 },
    { text: v, line: 1, column: 3 },
  ];
  assert.equal(modPhpValue('php_flag', args('ON')), '1');
  assert.equal(modPhpValue('php_flag', args('true')), '0');
  assert.equal(modPhpValue('php_value', args('NONE')), '');
  assert.equal(modPhpValue('php_value', [{ text: 'k', line: 1, column: 1 }]), null);
});

test('htaccess: never throws on garbage', () => {
  for (const t of ['<', '</', '"', 'php_flag "', '\\', '\\\n\\\n', '\u0000'])
    assert.doesNotThrow(() => parseApacheConfig(t));
});
