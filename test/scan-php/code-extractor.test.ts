/**
 * PHP source extractor, ESLint style: `valid` snippets must produce no session/cookie fact,
 * `invalid` ones exactly the listed facts (kind, key or name, value summary, line, column).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPhpCode, includeTarget } from '../../src/collect/code/php/code.js';
import { parsePhp } from '../../src/collect/code/php/ast.js';
import type { CodeFact, SettingValue } from '../../src/collect/code/types.js';

function v(x: SettingValue): string {
  switch (x.kind) {
    case 'literal':
      return JSON.stringify(x.value);
    case 'env':
      return `env:${x.variable}${x.default !== undefined ? `=${JSON.stringify(x.default)}` : ''}`;
    case 'conditional':
      return `if:${x.variable ?? x.condition}`;
    default:
      return 'unknown';
  }
}

/** One line per fact, e.g. `setting session.cookie_secure "0" via ini_set @2:1`. */
function summary(f: CodeFact): string | null {
  const at = `@${f.location.line}:${f.location.column}`;
  switch (f.type) {
    case 'setting':
      return `setting ${f.key} ${v(f.value)} via ${f.via} ${at}`;
    case 'session-enabled':
      return `session ${f.framework}${f.cookieName ? ` name=${f.cookieName}` : ''} ${at}`;
    case 'cookie-set': {
      const opts = Object.entries(f.options)
        .map(([k, o]) => `${k}=${v(o)}`)
        .join(' ');
      return `cookie ${f.name ?? '?'}${f.deletion ? ' (deletion)' : ''} ${opts} ${at}`.replace(/\s+/g, ' ');
    }
    case 'other':
      return f.key === 'include' ? null : `other ${f.framework}:${f.key} ${at}`;
    default:
      return null;
  }
}

function run(code: string, file = 'src/app.php'): string[] {
  return extractPhpCode(file, code)
    .map(summary)
    .filter((s): s is string => s !== null);
}

const valid: { name: string; code: string; file?: string }[] = [
  { name: 'line comment', code: "<?php\n// ini_set('session.cookie_secure', '0');\n" },
  { name: 'hash comment', code: '<?php\n# session_start();\n' },
  {
    name: 'block comment',
    code: "<?php\n/* session_set_cookie_params(0, '/', '', false); setcookie('a','b'); */\n",
  },
  { name: 'doc comment', code: "<?php\n/** @see ini_set('session.cookie_secure', 0) */\nfunction f() {}\n" },
  { name: 'string quoting a setting', code: '<?php\necho "session.cookie_secure = 0";\n' },
  { name: 'string quoting a call', code: '<?php\n$s = \'ini_set("session.cookie_secure", 0)\';\n' },
  {
    name: 'heredoc quoting a call',
    code: "<?php\n$doc = <<<EOT\nsession_start(['cookie_secure' => false]);\nEOT;\n",
  },
  { name: 'inline HTML without <?php', code: "ini_set('session.cookie_secure', 0); session_start();\n" },
  { name: 'HTML after ?>', code: "<?php echo 1; ?>\n<p>session_start(); setcookie('a', 'b');</p>\n" },
  {
    name: 'not a session ini key',
    code: "<?php\nini_set('display_errors', '0');\nini_set('session.gc_maxlifetime', 1440);\n",
  },
  {
    name: "mail config 'secure' => false",
    code: "<?php\n$mail = ['host' => 'smtp', 'secure' => false, 'port' => 465];\n",
  },
  {
    name: 'config/mail.php and config/database.php arrays',
    code: "<?php\nreturn ['mailers' => ['smtp' => ['encryption' => env('MAIL_ENCRYPTION', 'tls'), 'secure' => false]]];\n",
    file: 'config/mail.php',
  },
  {
    name: 'method named like the function',
    code: "<?php\n$ini->ini_set('session.cookie_secure', 0);\n$this->session_start();\n",
  },
  {
    name: 'function declaration',
    code: '<?php\nfunction setcookie_wrapper() {}\nfunction session_start_custom() {}\n',
  },
  {
    name: 'non Set-Cookie header',
    code: "<?php\nheader('Location: /login');\nheader('X-Set-Cookie: a=b');\n",
  },
  { name: 'Set-Cookie of a computed header name', code: "<?php\nheader($name . ': a=b');\n" },
  {
    name: 'code that only uses a session (Laravel helpers)',
    code: "<?php\n$cart = $request->session()->get('cart');\nsession(['k' => 'v']);\n$c = $request->cookie('theme');\n",
  },
];

const invalid: { name: string; code: string; file?: string; facts: string[] }[] = [
  {
    name: 'ini_set literal',
    code: "<?php\nini_set('session.cookie_secure', '0');\n",
    facts: ['setting session.cookie_secure "0" via ini_set @2:1'],
  },
  {
    name: 'namespaced and upper-case call, double-quoted key, int and bool values',
    code: '<?php\n\\ini_set("session.cookie_httponly", 1);\nINI_SET(\'session.use_only_cookies\', false);\nini_alter("session.use_strict_mode", "1");\n',
    facts: [
      'setting session.cookie_httponly 1 via ini_set @2:1',
      'setting session.use_only_cookies false via ini_set @3:1',
      'setting session.use_strict_mode "1" via ini_set @4:1',
    ],
  },
  {
    name: 'named arguments (PHP 8)',
    code: "<?php\nini_set(value: 'On', option: 'session.cookie_secure');\n",
    facts: ['setting session.cookie_secure "On" via ini_set @2:1'],
  },
  {
    name: 'values from the environment',
    code: "<?php\nini_set('session.cookie_secure', getenv('COOKIE_SECURE'));\nini_set('session.cookie_httponly', $_ENV['HTTPONLY'] ?? '1');\nini_set('session.cookie_samesite', $_SERVER['SAMESITE']);\n",
    facts: [
      'setting session.cookie_secure env:COOKIE_SECURE via ini_set @2:1',
      'setting session.cookie_httponly env:HTTPONLY="1" via ini_set @3:1',
      'setting session.cookie_samesite env:SAMESITE via ini_set @4:1',
    ],
  },
  {
    name: 'Secure following the request ($_SERVER HTTPS)',
    code: "<?php\nini_set('session.cookie_secure', isset($_SERVER['HTTPS']));\nini_set('session.cookie_secure', !empty($_SERVER['HTTPS']) && $_SERVER['HTTPS'] !== 'off');\nini_set('session.cookie_secure', ($_SERVER['HTTPS'] ?? '') === 'on' ? 1 : 0);\n",
    facts: [
      "setting session.cookie_secure if:$_SERVER['HTTPS'] via ini_set @2:1",
      "setting session.cookie_secure if:$_SERVER['HTTPS'] via ini_set @3:1",
      "setting session.cookie_secure if:$_SERVER['HTTPS'] via ini_set @4:1",
    ],
  },
  {
    name: 'Secure depending on APP_ENV',
    code: "<?php\n$prod = getenv('APP_ENV') === 'production';\nini_set('session.cookie_secure', $prod ? '1' : '0');\n",
    facts: ['setting session.cookie_secure if:APP_ENV via ini_set @3:1'],
  },
  {
    name: 'constants: define() and const, and their use',
    code: "<?php\ndefine('COOKIE_SECURE', false);\nconst SESSION_SAMESITE = 'Strict';\nini_set('session.cookie_secure', COOKIE_SECURE);\n",
    facts: [
      'other php:constant @2:1',
      'setting session.cookie_secure unknown via ini_set @4:1',
      'other php:constant @3:7',
    ],
  },
  {
    name: 'session_start with options (only session ini options are settings)',
    code: "<?php\nsession_start([\n  'cookie_secure' => true,\n  'cookie_samesite' => 'Strict',\n  'read_and_close' => true,\n  'name' => 'APPSESS',\n]);\n",
    facts: [
      'setting session.cookie_secure true via session_start @3:3',
      'setting session.cookie_samesite "Strict" via session_start @4:3',
      'setting session.name "APPSESS" via session_start @6:3',
      'session php name=APPSESS @2:1',
    ],
  },
  {
    name: 'session_start options from a variable, changed before the call',
    code: "<?php\n$opts = ['cookie_secure' => false];\n$opts['cookie_secure'] = true;\nsession_start($opts);\n",
    facts: ['setting session.cookie_secure true via session_start @3:1', 'session php @4:1'],
  },
  {
    name: 'session_start options changed only in production',
    code: "<?php\n$opts = ['cookie_httponly' => true];\nif (getenv('APP_ENV') === 'production') {\n  $opts['cookie_secure'] = true;\n}\nsession_start($opts);\n",
    facts: [
      'setting session.cookie_httponly true via session_start @2:10',
      'setting session.cookie_secure if:APP_ENV via session_start @4:3',
      'session php @6:1',
    ],
  },
  {
    name: 'session_start options that cannot be resolved',
    code: '<?php\nsession_start($config->sessionOptions());\n',
    facts: ['session php @2:1', 'other php:session-start-options-unknown @2:1'],
  },
  {
    name: 'session_set_cookie_params positional (5.x style)',
    code: "<?php\nsession_set_cookie_params(0, '/', '.example.com', false, true);\n",
    facts: [
      'setting session.cookie_lifetime 0 via session_set_cookie_params @2:27',
      'setting session.cookie_path "/" via session_set_cookie_params @2:30',
      'setting session.cookie_domain ".example.com" via session_set_cookie_params @2:35',
      'setting session.cookie_secure false via session_set_cookie_params @2:51',
      'setting session.cookie_httponly true via session_set_cookie_params @2:58',
    ],
  },
  {
    name: 'session_set_cookie_params positional with nulls (left as they are)',
    code: '<?php\nsession_set_cookie_params(3600, null, null, true);\n',
    facts: [
      'setting session.cookie_lifetime 3600 via session_set_cookie_params @2:27',
      'setting session.cookie_secure true via session_set_cookie_params @2:45',
    ],
  },
  {
    name: 'session_set_cookie_params options array (7.3+), keys case-insensitive',
    code: "<?php\nsession_set_cookie_params(['lifetime' => 0, 'Secure' => false, 'samesite' => 'None']);\n",
    facts: [
      'setting session.cookie_lifetime 0 via session_set_cookie_params @2:28',
      'setting session.cookie_secure false via session_set_cookie_params @2:45',
      'setting session.cookie_samesite "None" via session_set_cookie_params @2:64',
    ],
  },
  {
    name: 'session_set_cookie_params named arguments',
    code: '<?php\nsession_set_cookie_params(lifetime_or_options: 0, secure: true, httponly: true);\n',
    facts: [
      'setting session.cookie_lifetime 0 via session_set_cookie_params @2:27',
      'setting session.cookie_secure true via session_set_cookie_params @2:51',
      'setting session.cookie_httponly true via session_set_cookie_params @2:65',
    ],
  },
  {
    name: 'session_name',
    code: "<?php\nsession_name('SHOPSESSID');\nsession_start();\n",
    facts: ['setting session.name "SHOPSESSID" via session_name @2:1', 'session php @3:1'],
  },
  {
    name: 'setcookie positional',
    code: "<?php\nsetcookie('remember', $token, time() + 86400 * 30, '/', '', false, false);\n",
    facts: ['cookie remember expires=unknown path="/" domain="" secure=false httponly=false @2:1'],
  },
  {
    name: 'setcookie options array with samesite',
    code: "<?php\nsetcookie('sid', $id, ['expires' => 0, 'path' => '/', 'Secure' => true, 'httponly' => true, 'samesite' => 'Lax']);\n",
    facts: ['cookie sid expires=0 path="/" secure=true httponly=true samesite="Lax" @2:1'],
  },
  {
    name: 'setcookie named arguments, setrawcookie',
    code: "<?php\nsetcookie(name: 'a', value: 'b', secure: true);\nsetrawcookie('raw', 'v');\n",
    facts: ['cookie a secure=true @2:1', 'cookie raw @3:1'],
  },
  {
    name: 'setcookie deletions are marked',
    code: "<?php\nsetcookie('x', '', time() - 3600);\nsetcookie('y');\nsetcookie('z', 'v', 1);\nsetcookie('w', 'v', ['expires' => time() - 60]);\n",
    facts: [
      'cookie x (deletion) expires=unknown @2:1',
      'cookie y (deletion) @3:1',
      'cookie z (deletion) expires=1 @4:1',
      'cookie w (deletion) expires=unknown @5:1',
    ],
  },
  {
    name: 'setcookie with an unknown options array',
    code: "<?php\nsetcookie('a', 'b', $options);\n",
    facts: ['cookie a expires=unknown @2:1'],
  },
  {
    name: 'raw Set-Cookie headers',
    code: '<?php\nheader(\'Set-Cookie: a=b; Path=/; Secure; HttpOnly; SameSite=Strict\');\nheader("Set-Cookie: sid=$id; Path=/");\nheader("set-cookie: t=$v; $flags");\n',
    facts: [
      'cookie a secure=true httponly=true samesite="Strict" path="/" @2:1',
      'cookie sid secure=false httponly=false path="/" @3:1',
      'cookie t @4:1',
    ],
  },
  {
    name: 'Set-Cookie header deleting a cookie',
    code: "<?php\nheader('Set-Cookie: a=; Max-Age=0');\n",
    facts: ['cookie a (deletion) secure=false httponly=false max-age=0 @2:1'],
  },
  {
    name: 'PSR-7 / Symfony header APIs',
    code: "<?php\n$r = $r->withHeader('Set-Cookie', 'a=b; Secure');\n$response->headers->set('set-cookie', 'c=d; HttpOnly');\n",
    facts: ['cookie a secure=true httponly=false @2:6', 'cookie c secure=false httponly=true @3:1'],
  },
  {
    name: 'Laravel trusted proxies and run-time config',
    code: "<?php\n$app->withMiddleware(function (Middleware $m) {\n    $m->trustProxies(at: '*');\n});\nconfig(['session.secure' => true]);\nConfig::set('session.same_site', 'strict');\n",
    facts: [
      'other laravel:trust-proxies @3:5',
      'setting session.secure true via config() @5:9',
      'setting session.same_site "strict" via Config::set() @6:1',
    ],
  },
  {
    name: 'Laravel TrustProxies middleware class',
    code: "<?php\nclass TrustProxies extends Middleware\n{\n    protected $proxies = '*';\n}\n",
    facts: ['other laravel:trust-proxies @4:15'],
  },
  {
    name: 'Symfony Request::setTrustedProxies',
    code: "<?php\nRequest::setTrustedProxies(['10.0.0.0/8'], Request::HEADER_X_FORWARDED_ALL);\n",
    facts: ['other php:trusted-proxies @2:1'],
  },
  {
    name: 'Laravel config/session.php',
    file: 'config/session.php',
    code: "<?php\n\nuse Illuminate\\Support\\Str;\n\nreturn [\n    'driver' => env('SESSION_DRIVER', 'database'),\n    'secure' => env('SESSION_SECURE_COOKIE'),\n    'http_only' => true,\n    'same_site' => 'lax',\n    'cookie' => env('SESSION_COOKIE', Str::slug(env('APP_NAME', 'laravel'), '_').'_session'),\n    'lottery' => [2, 100],\n];\n",
    facts: [
      'setting session.driver env:SESSION_DRIVER="database" via config/session.php @6:5',
      'setting session.secure env:SESSION_SECURE_COOKIE via config/session.php @7:5',
      'setting session.http_only true via config/session.php @8:5',
      'setting session.same_site "lax" via config/session.php @9:5',
      'setting session.cookie env:SESSION_COOKIE via config/session.php @10:5',
    ],
  },
];

for (const c of valid) {
  test(`php code valid: ${c.name}`, () => assert.deepEqual(run(c.code, c.file), []));
}
for (const c of invalid) {
  test(`php code invalid: ${c.name}`, () => assert.deepEqual(run(c.code, c.file), c.facts));
}

test('php code: include targets', () => {
  const target = (code: string, file = 'public/index.php') => {
    const root = parsePhp(`<?php ${code};`).root();
    const inc = root.find({
      rule: {
        any: [
          { kind: 'require_once_expression' },
          { kind: 'include_expression' },
          { kind: 'require_expression' },
        ],
      },
    });
    return includeTarget(file, inc?.namedChildren()[0] ?? null);
  };
  assert.equal(target("require_once __DIR__ . '/../config.php'"), 'config.php');
  assert.equal(target("include 'lib/a.php'"), 'public/lib/a.php');
  assert.equal(target('require(dirname(__FILE__) . "/b.php")'), 'public/b.php');
  assert.equal(target("require dirname(__DIR__) . '/bootstrap.php'"), 'bootstrap.php');
  assert.equal(target('require $path'), null);
  assert.equal(target("require '/etc/php/x.php'"), null);
  assert.equal(target("require __DIR__ . '/../../../x.php'"), null);
});

test('php code: deeply nested and huge expressions neither throw nor hang', () => {
  const deep = `<?php\nini_set('session.cookie_secure', ${'('.repeat(3000)}1${')'.repeat(3000)});\n`;
  assert.doesNotThrow(() => run(deep));
  const arr = `<?php\nsession_start(${'['.repeat(2000)}${']'.repeat(2000)});\n`;
  assert.doesNotThrow(() => run(arr));
  const many = '<?php\n' + "ini_set('session.cookie_secure', '1');\n".repeat(5000);
  assert.equal(run(many).length, 5000);
});

test('php code: invalid PHP still yields the calls tree-sitter can recover', () => {
  assert.deepEqual(run("<?php\nini_set('session.cookie_secure', '0');\nif ($x {\n  echo 1;\n"), [
    'setting session.cookie_secure "0" via ini_set @2:1',
  ]);
  assert.deepEqual(
    run("<?php\nclass A {\n public function f() {\n  ini_set('session.cookie_secure', '0')\n }\n"),
    ['setting session.cookie_secure "0" via ini_set @4:3'],
  );
  assert.doesNotThrow(() => run("<?php\nfunction (\nini_set('session.cookie_secure', '0');\n"));
});
