/**
 * Project-level reasoning for plain PHP sessions: which setting wins, defaults, environments,
 * includes, decoys. Each case is a small project; `expect` lists the observations' summaries
 * (see summary.ts). Session cookie summaries only (`only: 'cookie'`) where the rest is noise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phpResolver } from '../../src/collect/code/php/resolve-php.js';
import { projectOf, type Files } from './harness.js';
import { summarize } from './summary.js';

interface Case {
  name: string;
  files: Files;
  expect: string[];
  /** Only summaries starting with one of these. */
  only?: string[];
}

const START = '<?php\nsession_start();\n';

const cases: Case[] = [
  {
    name: 'session_start() and nothing else: PHP defaults, located at the call',
    files: { 'index.php': START },
    expect: [
      'cookie PHPSESSID secure=false/framework-default@index.php:2 httpOnly=false/framework-default@index.php:2 sameSite=unset/framework-default@index.php:2 at=index.php:2',
    ],
  },
  {
    name: 'php.ini in the repository replaces the default',
    files: {
      'index.php': START,
      'docker/php.ini':
        '[Session]\nsession.cookie_secure = On\nsession.cookie_httponly = 1\nsession.cookie_samesite = "Lax"\n',
    },
    expect: [
      'cookie PHPSESSID secure=true/explicit@docker/php.ini:2 httpOnly=true/explicit@docker/php.ini:3 sameSite=lax/explicit@docker/php.ini:4 at=index.php:2',
    ],
  },
  {
    name: 'ini_set() before session_start() wins over php.ini',
    files: {
      'index.php': "<?php\nini_set('session.cookie_secure', '0');\nsession_start();\n",
      'php.ini': 'session.cookie_secure = 1\n',
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=false/explicit@index.php:2 httpOnly=false/framework-default@index.php:3 sameSite=unset/framework-default@index.php:3 at=index.php:3',
    ],
  },
  {
    name: 'ini_set() after session_start() does nothing for that session',
    files: {
      'index.php': "<?php\nsession_start();\nini_set('session.cookie_secure', '1');\n",
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=false/framework-default@index.php:2 httpOnly=false/framework-default@index.php:2 sameSite=unset/framework-default@index.php:2 at=index.php:2',
    ],
  },
  {
    name: 'session_start() options win over ini_set() and php.ini',
    files: {
      'index.php':
        "<?php\nini_set('session.cookie_secure', '0');\nsession_start(['cookie_secure' => true, 'cookie_httponly' => 1]);\n",
      'php.ini': 'session.cookie_secure = 0\n',
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=true/explicit@index.php:3 httpOnly=true/explicit@index.php:3 sameSite=unset/framework-default@index.php:3 at=index.php:3',
    ],
  },
  {
    name: 'settings in an included file apply (require before session_start)',
    files: {
      'public/index.php': "<?php\nrequire __DIR__ . '/../app/bootstrap.php';\nsession_start();\n",
      'app/bootstrap.php':
        "<?php\nini_set('session.cookie_secure', 1);\nsession_set_cookie_params(['httponly' => true, 'samesite' => 'Strict']);\n",
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=true/explicit@app/bootstrap.php:2 httpOnly=true/explicit@app/bootstrap.php:3 sameSite=strict/explicit@app/bootstrap.php:3 at=public/index.php:3',
    ],
  },
  {
    name: 'settings in the file that includes the one calling session_start apply',
    files: {
      'index.php': "<?php\nini_set('session.cookie_httponly', '1');\ninclude 'inc/header.php';\n",
      'inc/header.php': START,
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=false/framework-default@inc/header.php:2 httpOnly=true/explicit@index.php:2 sameSite=unset/framework-default@inc/header.php:2 at=inc/header.php:2',
    ],
  },
  {
    name: 'a run-time setting in an unlinked file is assumed to run first when it is the only one',
    files: { 'index.php': START, 'config.php': "<?php\nini_set('session.cookie_secure', '1');\n" },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=true/explicit@config.php:2 httpOnly=false/framework-default@index.php:2 sameSite=unset/framework-default@index.php:2 at=index.php:2',
    ],
  },
  {
    name: 'contradicting run-time settings in unlinked files: unknown, never reported as insecure',
    files: {
      'index.php': START,
      'a.php': "<?php\nini_set('session.cookie_secure', '1');\n",
      'b.php': "<?php\nini_set('session.cookie_secure', '0');\n",
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=unknown/unknown@index.php:2 httpOnly=false/framework-default@index.php:2 sameSite=unset/framework-default@index.php:2 at=index.php:2',
    ],
  },
  {
    name: '.user.ini in the script directory applies; elsewhere it does not',
    files: {
      'public/index.php': START,
      'public/.user.ini': 'session.cookie_secure = 1\n',
      'admin/.user.ini': 'session.cookie_httponly = 1\n',
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=true/explicit@public/.user.ini:1 httpOnly=false/framework-default@public/index.php:2 sameSite=unset/framework-default@public/index.php:2 at=public/index.php:2',
    ],
  },
  {
    name: '.htaccess php_flag off in a parent directory applies',
    files: {
      'web/app/index.php': START,
      'web/.htaccess': '<IfModule mod_php.c>\n  php_flag session.cookie_secure off\n</IfModule>\n',
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=false/explicit@web/.htaccess:2 httpOnly=false/framework-default@web/app/index.php:2 sameSite=unset/framework-default@web/app/index.php:2 at=web/app/index.php:2',
    ],
  },
  {
    name: 'php.ini per environment (docker/dev, docker/prod): environment-dependent, production value',
    files: {
      'index.php': START,
      'docker/dev/php.ini': 'session.cookie_secure = 0\n',
      'docker/prod/php.ini': 'session.cookie_secure = 1\n',
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=true/env-dependent{development:false,production:true}@docker/dev/php.ini:1 httpOnly=false/framework-default@index.php:2 sameSite=unset/framework-default@index.php:2 at=index.php:2',
    ],
  },
  {
    name: 'getenv() resolved from .env files',
    files: {
      'index.php': "<?php\nini_set('session.cookie_secure', getenv('COOKIE_SECURE'));\nsession_start();\n",
      '.env': 'COOKIE_SECURE=0\n',
      '.env.production': 'COOKIE_SECURE=1\n',
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=true/env-dependent{.env:false,production:true}@index.php:2 httpOnly=false/framework-default@index.php:3 sameSite=unset/framework-default@index.php:3 at=index.php:3',
    ],
  },
  {
    name: 'getenv() that no .env file sets: unknown',
    files: {
      'index.php': "<?php\nini_set('session.cookie_secure', getenv('COOKIE_SECURE'));\nsession_start();\n",
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=unknown/unknown@index.php:2 httpOnly=false/framework-default@index.php:3 sameSite=unset/framework-default@index.php:3 at=index.php:3',
    ],
  },
  {
    name: "APP_ENV === 'production' ? 1 : 0 with APP_ENV from .env",
    files: {
      'index.php':
        "<?php\nini_set('session.cookie_secure', getenv('APP_ENV') === 'production' ? '1' : '0');\nsession_start();\n",
      '.env': 'APP_ENV=local\n',
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=true/env-dependent{local (.env):false,production:true}@index.php:2 httpOnly=false/framework-default@index.php:3 sameSite=unset/framework-default@index.php:3 at=index.php:3',
    ],
  },
  {
    name: "isset($_SERVER['HTTPS']): follows the request, and behind a proxy it is not set",
    files: {
      'index.php':
        "<?php\nsession_set_cookie_params(['secure' => isset($_SERVER['HTTPS']), 'httponly' => true]);\nsession_start();\n",
    },
    expect: [
      'cookie PHPSESSID secure=auto/explicit@index.php:2 httpOnly=true/explicit@index.php:2 sameSite=unset/framework-default@index.php:3 at=index.php:3',
      'proxy php PHPSESSID @index.php:2',
    ],
  },
  {
    name: 'X-Forwarded-Proto read by hand: follows the request, no proxy problem',
    files: {
      'index.php':
        "<?php\n$https = isset($_SERVER['HTTPS']) || ($_SERVER['HTTP_X_FORWARDED_PROTO'] ?? '') === 'https';\nsession_set_cookie_params(['secure' => $https]);\nsession_start();\n",
    },
    expect: [
      'cookie PHPSESSID secure=auto/explicit@index.php:3 httpOnly=false/framework-default@index.php:4 sameSite=unset/framework-default@index.php:4 at=index.php:4',
    ],
  },
  {
    name: 'a constant defined in another file',
    files: {
      'index.php':
        "<?php\nrequire 'config.php';\nini_set('session.cookie_secure', COOKIE_SECURE);\nsession_start();\n",
      'config.php': "<?php\ndefine('COOKIE_SECURE', false); // session cookie flags\n",
    },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=false/explicit@index.php:3 httpOnly=false/framework-default@index.php:4 sameSite=unset/framework-default@index.php:4 at=index.php:4',
    ],
  },
  {
    name: 'use_only_cookies = 0: session id accepted from the URL',
    files: { 'index.php': START, 'php.ini': 'session.use_only_cookies = 0\nsession.use_trans_sid = 1\n' },
    only: ['url'],
    expect: ['url PHPSESSID @php.ini:1'],
  },
  {
    name: 'use_trans_sid = 1 alone does nothing while use_only_cookies = 1',
    files: { 'index.php': START, 'php.ini': 'session.use_trans_sid = 1\n' },
    only: ['url'],
    expect: [],
  },
  {
    name: 'several identical session starts: one observation',
    files: { 'a.php': START, 'b.php': START, 'c/d.php': START },
    expect: [
      'cookie PHPSESSID secure=false/framework-default@a.php:2 httpOnly=false/framework-default@a.php:2 sameSite=unset/framework-default@a.php:2 at=a.php:2',
    ],
  },
  {
    name: 'two differently configured session starts: two observations',
    files: {
      'a.php': START,
      'b.php':
        "<?php\nsession_start(['cookie_secure' => 1, 'cookie_httponly' => 1, 'cookie_samesite' => 'Lax']);\n",
    },
    expect: [
      'cookie PHPSESSID secure=false/framework-default@a.php:2 httpOnly=false/framework-default@a.php:2 sameSite=unset/framework-default@a.php:2 at=a.php:2',
      'cookie PHPSESSID secure=true/explicit@b.php:2 httpOnly=true/explicit@b.php:2 sameSite=lax/explicit@b.php:2 at=b.php:2',
    ],
  },
  {
    name: 'session_name() names the cookie',
    files: { 'index.php': "<?php\nsession_name('SHOPSESS');\nsession_start();\n" },
    expect: [
      'cookie SHOPSESS secure=false/framework-default@index.php:3 httpOnly=false/framework-default@index.php:3 sameSite=unset/framework-default@index.php:3 at=index.php:3',
    ],
  },
  {
    name: 'php.ini without any session_start in sight: the configured session cookie is still reported',
    files: { 'conf/php.ini': '[Session]\nsession.name = APPSESS\nsession.cookie_secure = Off\n' },
    expect: [
      'cookie APPSESS secure=false/explicit@conf/php.ini:3 httpOnly=false/framework-default@conf/php.ini:3 sameSite=unset/framework-default@conf/php.ini:3 at=conf/php.ini:3',
    ],
  },
  {
    name: 'unquoted None in php.ini is an empty SameSite',
    files: { 'index.php': START, 'php.ini': 'session.cookie_samesite = None\n' },
    only: ['cookie'],
    expect: [
      'cookie PHPSESSID secure=false/framework-default@index.php:2 httpOnly=false/framework-default@index.php:2 sameSite=unset/explicit@php.ini:1 at=index.php:2',
    ],
  },
  {
    name: 'test code is marked',
    files: { 'tests/Feature/session.php': START },
    expect: [
      'cookie PHPSESSID secure=false/framework-default@tests/Feature/session.php:2 httpOnly=false/framework-default@tests/Feature/session.php:2 sameSite=unset/framework-default@tests/Feature/session.php:2 at=tests/Feature/session.php:2 test',
    ],
  },
  {
    name: 'setcookie(): positional flags, options array, deletion, CSRF cookie',
    files: {
      'index.php':
        "<?php\nsetcookie('remember_me', $t, time() + 86400, '/', '', false, true);\nsetcookie('XSRF-TOKEN', $csrf, ['secure' => true, 'samesite' => 'Strict']);\nsetcookie('remember_me', '', time() - 3600);\n",
    },
    expect: [
      'cookie remember_me secure=false/explicit@index.php:2 httpOnly=true/explicit@index.php:2 sameSite=unset/framework-default@index.php:2 at=index.php:2',
      'cookie XSRF-TOKEN secure=true/explicit@index.php:3 httpOnly=false/framework-default@index.php:3 sameSite=strict/explicit@index.php:3 at=index.php:3',
    ],
  },
  {
    name: 'decoys: commented code, quoted settings, non-session arrays produce nothing',
    files: {
      'index.php':
        "<?php\n// ini_set('session.cookie_secure', '0');\n/* session_start(); */\necho \"session.cookie_secure = 0\";\n$mail = ['secure' => false];\n",
      'php.ini': '; session.cookie_secure = 0\n# session.cookie_secure = 0\nmemory_limit = 256M\n',
      '.htaccess': '# php_flag session.cookie_secure off\n',
    },
    expect: [],
  },
];

for (const c of cases) {
  test(`php resolver: ${c.name}`, () => {
    const got = phpResolver
      .resolve(projectOf(c.files))
      .map(summarize)
      .filter((s) => !c.only || c.only.some((p) => s.startsWith(p)))
      .filter((s) => c.only || !s.startsWith('setting '));
    assert.deepEqual(got, c.expect);
  });
}

test('php resolver: session cookie classification and evidence', () => {
  const obs = phpResolver.resolve(
    projectOf({
      'index.php': "<?php\nsession_name('X1');\nsession_start();\n",
      'php.ini': 'session.cookie_samesite = None\n',
    }),
  );
  const c = obs.find((o) => o.kind === 'cookie');
  assert.ok(c && c.kind === 'cookie');
  assert.equal(c.classification.category, 'session');
  assert.match(c.classification.reason, /session/);
  assert.match(c.sameSite.evidence ?? '', /unquoted None/);
  assert.equal(c.source, 'code');
  assert.equal(c.framework, 'php');
  assert.equal(c.setBy, 'server');
  assert.equal(c.api, 'session');
});

test('php resolver: cookies set by a call name their API (for fix advice)', () => {
  const obs = phpResolver.resolve(
    projectOf({
      'a.php': "<?php\nsetcookie('a', 'b');\nsetrawcookie('c', 'd');\nheader('Set-Cookie: e=f');\n",
    }),
  );
  assert.deepEqual(
    obs.map((o) => (o.kind === 'cookie' ? `${o.name}:${o.api}` : o.kind)),
    ['a:setcookie', 'c:setrawcookie', 'e:header'],
  );
});

test('php resolver: the winning setting says what it overrides', () => {
  const obs = phpResolver.resolve(
    projectOf({
      'index.php': "<?php\nini_set('session.cookie_secure', '1');\nsession_start();\n",
      'php.ini': 'session.cookie_secure = Off\n',
    }),
  );
  const c = obs.find((o) => o.kind === 'cookie');
  assert.ok(c && c.kind === 'cookie');
  assert.equal(
    c.secure.evidence,
    "ini_set('session.cookie_secure', '1') (overrides php.ini:1: session.cookie_secure = Off)",
  );
});

test('php resolver: use_only_cookies evidence says what use_trans_sid adds', () => {
  const withTrans = phpResolver.resolve(
    projectOf({ 'index.php': START, 'php.ini': 'session.use_only_cookies = 0\nsession.use_trans_sid = 1\n' }),
  );
  const without = phpResolver.resolve(
    projectOf({ 'index.php': START, 'php.ini': 'session.use_only_cookies = Off\n' }),
  );
  const u1 = withTrans.find((o) => o.kind === 'session-id-in-url');
  const u2 = without.find((o) => o.kind === 'session-id-in-url');
  assert.ok(u1 && u1.kind === 'session-id-in-url' && u2 && u2.kind === 'session-id-in-url');
  assert.equal(u1.where, 'config');
  assert.match(u1.evidence ?? '', /writes the id into links/);
  assert.match(u2.evidence ?? '', /accepts a session id from the URL/);
});
