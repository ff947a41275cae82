/**
 * Symfony's session cookie: framework.yaml (when@ENV, config/packages/ENV/), .env files, php.ini
 * and the symfony/framework-bundle version.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symfonyResolver } from '../../src/collect/code/php/resolve-symfony.js';
import { extractSymfonyYaml, parseEnvPlaceholder } from '../../src/collect/code/php/symfony.js';
import { projectOf, type Files } from './harness.js';
import { summarize } from './summary.js';

const lock = (version: string): string =>
  JSON.stringify({ packages: [{ name: 'symfony/framework-bundle', version }] });

const FW = 'config/packages/framework.yaml';

interface Case {
  name: string;
  files: Files;
  expect: string[];
}

const cases: Case[] = [
  {
    name: 'Symfony 7 with `session: true`: defaults auto / lax / HttpOnly; no trusted proxies',
    files: {
      [FW]: "framework:\n    secret: '%env(APP_SECRET)%'\n    session: true\n",
      'composer.lock': lock('v7.1.2'),
    },
    expect: [
      `cookie PHPSESSID secure=auto/framework-default@${FW}:3 httpOnly=true/framework-default@${FW}:3 sameSite=lax/framework-default@${FW}:3 at=${FW}:3`,
      `proxy symfony PHPSESSID @${FW}:3`,
    ],
  },
  {
    name: 'trusted_proxies from an env var that .env sets: no proxy problem',
    files: {
      [FW]: "framework:\n    trusted_proxies: '%env(TRUSTED_PROXIES)%'\n    session:\n        cookie_secure: auto\n",
      '.env': 'APP_ENV=dev\nTRUSTED_PROXIES=127.0.0.1,REMOTE_ADDR\n',
      'composer.lock': lock('v7.0.0'),
    },
    expect: [
      `cookie PHPSESSID secure=auto/explicit@${FW}:4 httpOnly=true/framework-default@${FW}:3 sameSite=lax/framework-default@${FW}:3 at=${FW}:4`,
    ],
  },
  {
    name: 'Request::setTrustedProxies() in public/index.php also counts',
    files: {
      [FW]: 'framework:\n    session: ~\n',
      'public/index.php':
        "<?php\nRequest::setTrustedProxies(['10.0.0.0/8'], Request::HEADER_X_FORWARDED_PROTO);\n",
      'composer.lock': lock('v7.2.0'),
    },
    expect: [
      `cookie PHPSESSID secure=auto/framework-default@${FW}:2 httpOnly=true/framework-default@${FW}:2 sameSite=lax/framework-default@${FW}:2 at=${FW}:2`,
    ],
  },
  {
    name: 'Symfony 6.4 without cookie_secure: php.ini decides, PHP default is off',
    files: { [FW]: 'framework:\n    session:\n        handler_id: null\n', 'composer.lock': lock('v6.4.12') },
    expect: [
      `cookie PHPSESSID secure=false/framework-default@${FW}:2 httpOnly=true/framework-default@${FW}:2 sameSite=unset/framework-default@${FW}:2 at=${FW}:2`,
    ],
  },
  {
    name: 'Symfony 6.4 without cookie_secure, php.ini in the repository sets it',
    files: {
      [FW]: 'framework:\n    session:\n        handler_id: null\n',
      'docker/php/php.ini': 'session.cookie_secure = 1\nsession.cookie_samesite = "Strict"\n',
      'composer.lock': lock('v6.4.12'),
    },
    expect: [
      `cookie PHPSESSID secure=true/explicit@docker/php/php.ini:1 httpOnly=true/framework-default@${FW}:2 sameSite=strict/explicit@docker/php/php.ini:2 at=docker/php/php.ini:1`,
    ],
  },
  {
    name: 'cookie_secure: true, cookie_samesite: strict, explicit',
    files: {
      [FW]: 'framework:\n    session:\n        cookie_secure: true\n        cookie_samesite: strict\n        cookie_httponly: false\n        name: SHOPSESS\n',
      'composer.lock': lock('v7.1.2'),
    },
    expect: [
      `cookie SHOPSESS secure=true/explicit@${FW}:3 httpOnly=false/explicit@${FW}:5 sameSite=strict/explicit@${FW}:4 at=${FW}:3`,
    ],
  },
  {
    name: 'cookie_secure false, when@prod true: environment-dependent',
    files: {
      [FW]: 'framework:\n    session:\n        cookie_secure: false\n\nwhen@prod:\n    framework:\n        session:\n            cookie_secure: true\n',
      'composer.lock': lock('v7.1.2'),
    },
    expect: [
      `cookie PHPSESSID secure=true/env-dependent{prod:true,dev:false}@${FW}:8 httpOnly=true/framework-default@${FW}:2 sameSite=lax/framework-default@${FW}:2 at=${FW}:8`,
    ],
  },
  {
    name: 'older layout: config/packages/prod/framework.yaml',
    files: {
      [FW]: 'framework:\n    session:\n        cookie_secure: false\n',
      'config/packages/prod/framework.yaml': 'framework:\n    session:\n        cookie_secure: true\n',
      'composer.lock': lock('v5.4.40'),
    },
    expect: [
      `cookie PHPSESSID secure=true/env-dependent{prod:true,dev:false}@config/packages/prod/framework.yaml:3 httpOnly=true/framework-default@${FW}:2 sameSite=unset/framework-default@${FW}:2 at=config/packages/prod/framework.yaml:3`,
    ],
  },
  {
    name: '%env(bool:X)% resolved per environment from .env and .env.prod',
    files: {
      [FW]: "framework:\n    session:\n        cookie_secure: '%env(bool:SESSION_SECURE)%'\n",
      '.env': 'APP_ENV=dev\nSESSION_SECURE=0\n',
      '.env.prod': 'SESSION_SECURE=yes\n',
      'composer.lock': lock('v7.1.2'),
    },
    expect: [
      `cookie PHPSESSID secure=true/env-dependent{prod:true,dev:false}@${FW}:3 httpOnly=true/framework-default@${FW}:2 sameSite=lax/framework-default@${FW}:2 at=${FW}:3`,
    ],
  },
  {
    name: '%env(X)% that no .env file sets: unknown',
    files: {
      [FW]: "framework:\n    session:\n        cookie_secure: '%env(SESSION_SECURE)%'\n",
      'composer.lock': lock('v7.1.2'),
    },
    expect: [
      `cookie PHPSESSID secure=unknown/unknown@${FW}:3 httpOnly=true/framework-default@${FW}:2 sameSite=lax/framework-default@${FW}:2 at=${FW}:3`,
    ],
  },
  {
    name: 'version unknown and cookie_secure unset: unknown',
    files: { [FW]: 'framework:\n    session: true\n' },
    expect: [
      `cookie PHPSESSID secure=unknown/unknown@${FW}:2 httpOnly=true/framework-default@${FW}:2 sameSite=unknown/unknown@${FW}:2 at=${FW}:2`,
    ],
  },
  {
    name: 'sessions disabled or not configured: nothing',
    files: {
      [FW]: 'framework:\n    secret: x\n    session: false\n    # session:\n    #     cookie_secure: false\n',
      'composer.lock': lock('v7.1.2'),
    },
    expect: [],
  },
  {
    name: 'when@test mock storage does not add a test environment',
    files: {
      [FW]: 'framework:\n    session:\n        cookie_secure: true\nwhen@test:\n    framework:\n        test: true\n        session:\n            storage_factory_id: session.storage.factory.mock_file\n',
      'composer.lock': lock('v7.1.2'),
    },
    expect: [
      `cookie PHPSESSID secure=true/explicit@${FW}:3 httpOnly=true/framework-default@${FW}:2 sameSite=lax/framework-default@${FW}:2 at=${FW}:3`,
    ],
  },
];

for (const c of cases) {
  test(`symfony resolver: ${c.name}`, () => {
    assert.deepEqual(symfonyResolver.resolve(projectOf(c.files)).map(summarize), c.expect);
  });
}

test('symfony yaml: positions of keys, when@ blocks, comments ignored', () => {
  const text = [
    'framework:', //                                   1
    '    # cookie_secure: false', //                   2
    '    session:', //                                 3
    '        cookie_secure: auto # follows HTTPS', //   4
    "        cookie_samesite: 'lax'", //               5
    'when@prod:', //                                   6
    '    framework:', //                               7
    '        session:', //                             8
    '            cookie_secure: true', //              9
  ].join('\n');
  const facts = extractSymfonyYaml(FW, text).map((f) =>
    f.type === 'setting'
      ? `${f.key}=${f.value.kind === 'literal' ? String(f.value.value) : f.value.kind}${f.scope?.environment ? `[${f.scope.environment}]` : ''} @${f.location.line}:${f.location.column}`
      : `${f.type} @${f.location.line}:${f.location.column}`,
  );
  assert.deepEqual(facts, [
    'session-enabled @3:5',
    'session.cookie_secure=auto @4:9',
    'session.cookie_samesite=lax @5:9',
    'session-enabled @8:9',
    'session.cookie_secure=true[prod] @9:13',
  ]);
});

test('symfony yaml: invalid YAML gives no facts and no exception', () => {
  for (const t of ['framework: [', ': : :', '\t- x', 'framework:\n  session: {cookie_secure: ']) {
    assert.doesNotThrow(() => extractSymfonyYaml(FW, t));
  }
});

test('symfony: env placeholders', () => {
  assert.deepEqual(parseEnvPlaceholder('%env(bool:SESSION_SECURE)%'), {
    variable: 'SESSION_SECURE',
    processors: ['bool'],
  });
  assert.deepEqual(parseEnvPlaceholder('%env(X)%'), { variable: 'X', processors: [] });
  assert.equal(parseEnvPlaceholder('auto'), null);
});
