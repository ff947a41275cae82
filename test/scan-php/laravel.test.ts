/**
 * Laravel's session cookie: config/session.php + .env files + laravel/framework version.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { laravelResolver } from '../../src/collect/code/php/resolve-laravel.js';
import { laravelSlug } from '../../src/collect/code/php/laravel-config.js';
import { resolvers } from '../../src/collect/code/php/index.js';
import { projectOf, type Files } from './harness.js';
import { summarize } from './summary.js';

/** A config/session.php like the one Laravel 11 publishes (condensed). */
function sessionConfig(overrides: Record<string, string> = {}): string {
  const entries: Record<string, string> = {
    driver: "env('SESSION_DRIVER', 'database')",
    lifetime: "env('SESSION_LIFETIME', 120)",
    expire_on_close: "env('SESSION_EXPIRE_ON_CLOSE', false)",
    cookie:
      "env(\n        'SESSION_COOKIE',\n        Str::slug(env('APP_NAME', 'laravel'), '_').'_session'\n    )",
    path: "env('SESSION_PATH', '/')",
    domain: "env('SESSION_DOMAIN')",
    secure: "env('SESSION_SECURE_COOKIE')",
    http_only: "env('SESSION_HTTP_ONLY', true)",
    same_site: "env('SESSION_SAME_SITE', 'lax')",
    ...overrides,
  };
  const body = Object.entries(entries)
    .map(([k, v]) => `    // ${k}\n    '${k}' => ${v},\n`)
    .join('\n');
  return `<?php\n\nuse Illuminate\\Support\\Str;\n\nreturn [\n\n${body}\n];\n`;
}
/** Line of `'key' =>` in sessionConfig(). */
function lineOf(text: string, key: string): number {
  return text.split('\n').findIndex((l) => l.includes(`'${key}' =>`)) + 1;
}
const lock = (version: string): string =>
  JSON.stringify({ packages: [{ name: 'laravel/framework', version }] }, null, 2);

interface Case {
  name: string;
  files: Files;
  expect: string[];
}

const CFG = sessionConfig();
const S = lineOf(CFG, 'secure');
const H = lineOf(CFG, 'http_only');
const SS = lineOf(CFG, 'same_site');

const cases: Case[] = [
  {
    name: 'before 11.21, SESSION_SECURE_COOKIE unset everywhere: not Secure (framework default)',
    files: {
      'config/session.php': CFG,
      'composer.lock': lock('v10.48.4'),
      '.env.example': 'APP_NAME=Laravel\nAPP_ENV=local\n',
    },
    expect: [
      `cookie laravel_session secure=false/framework-default@config/session.php:${S} httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} at=config/session.php:${S}`,
    ],
  },
  {
    name: 'from 11.21, unset: follows the request, and no trusted proxy is configured',
    files: {
      'config/session.php': CFG,
      'composer.lock': lock('v11.21.0'),
      '.env.example': 'APP_NAME=Acme-Shop\n',
    },
    expect: [
      `cookie acme_shop_session secure=auto/framework-default@config/session.php:${S} httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} at=config/session.php:${S}`,
      `proxy laravel acme_shop_session @config/session.php:${S}`,
    ],
  },
  {
    name: 'an APP_NAME the .env reader does not keep (free text): the name says so instead of guessing',
    files: {
      'config/session.php': CFG,
      'composer.lock': lock('v10.0.0'),
      '.env': 'APP_NAME="Acme Shop & Co"\n',
    },
    expect: [
      `cookie <APP_NAME>_session secure=false/framework-default@config/session.php:${S} httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} at=config/session.php:${S}`,
    ],
  },
  {
    name: 'from 11.21 with trustProxies() in bootstrap/app.php: no proxy problem',
    files: {
      'config/session.php': CFG,
      'composer.lock': lock('v11.35.1'),
      'bootstrap/app.php':
        "<?php\nreturn Application::configure(basePath: dirname(__DIR__))\n    ->withMiddleware(function (Middleware $middleware) {\n        $middleware->trustProxies(at: '*');\n    })->create();\n",
    },
    expect: [
      `cookie laravel_session secure=auto/framework-default@config/session.php:${S} httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} at=config/session.php:${S}`,
    ],
  },
  {
    name: 'Laravel 10 TrustProxies middleware with the stock null $proxies does not trust anyone',
    files: {
      'config/session.php': CFG,
      'composer.json': '{\n  "require": {\n    "laravel/framework": "^12.0"\n  }\n}\n',
      'app/Http/Middleware/TrustProxies.php':
        '<?php\nclass TrustProxies extends Middleware\n{\n    protected $proxies;\n}\n',
    },
    expect: [
      `cookie laravel_session secure=auto/framework-default@config/session.php:${S} httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} at=config/session.php:${S}`,
      `proxy laravel laravel_session @config/session.php:${S}`,
    ],
  },
  {
    name: 'version unknown (no composer files): unknown, never reported as insecure',
    files: { 'config/session.php': CFG },
    expect: [
      `cookie laravel_session secure=unknown/unknown@config/session.php:${S} httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} at=config/session.php:${S}`,
    ],
  },
  {
    name: 'composer.json ^11.0 allows both sides of 11.21: unknown',
    files: { 'config/session.php': CFG, 'composer.json': '{"require": {"laravel/framework": "^11.0"}}' },
    expect: [
      `cookie laravel_session secure=unknown/unknown@config/session.php:${S} httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} at=config/session.php:${S}`,
    ],
  },
  {
    name: '.env.production sets it, deployments without it do not (before 11.21): environment-dependent; the template configures nothing',
    files: {
      'config/session.php': CFG,
      'composer.lock': lock('v10.0.0'),
      '.env.example': 'APP_ENV=local\n',
      '.env.production': 'APP_ENV=production\nSESSION_SECURE_COOKIE=true\n',
    },
    expect: [
      `cookie laravel_session secure=true/env-dependent{production:true,SESSION_SECURE_COOKIE unset:false}@config/session.php:${S} httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} at=config/session.php:${S}`,
    ],
  },
  {
    name: '.env.production true, others follow the request (11.21+): Secure, not environment-dependent',
    files: {
      'config/session.php': CFG,
      'composer.lock': lock('v11.40.0'),
      '.env.example': 'APP_ENV=local\n',
      '.env.production': 'SESSION_SECURE_COOKIE=true\n',
    },
    expect: [
      `cookie laravel_session secure=true/explicit@config/session.php:${S} httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} at=config/session.php:${S}`,
    ],
  },
  {
    name: 'SESSION_SECURE_COOKIE=false in .env: explicit false',
    files: {
      'config/session.php': CFG,
      'composer.lock': lock('v11.40.0'),
      '.env': 'APP_ENV=production\nSESSION_SECURE_COOKIE=false\n',
    },
    expect: [
      `cookie laravel_session secure=false/explicit@config/session.php:${S} httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} at=config/session.php:${S}`,
    ],
  },
  {
    name: "literal values: 'secure' => true, 'http_only' => false, 'same_site' => 'none'",
    files: {
      'config/session.php': sessionConfig({ secure: 'true', http_only: 'false', same_site: "'none'" }),
      'composer.lock': lock('v9.52.0'),
    },
    expect: [
      `cookie laravel_session secure=true/explicit@config/session.php:${S} httpOnly=false/explicit@config/session.php:${H} sameSite=none/explicit@config/session.php:${SS} at=config/session.php:${S}`,
    ],
  },
  {
    name: "env() default argument when no .env sets it: env('SESSION_SECURE_COOKIE', false)",
    files: {
      'config/session.php': sessionConfig({ secure: "env('SESSION_SECURE_COOKIE', false)" }),
      'composer.lock': lock('v11.40.0'),
    },
    expect: [
      `cookie laravel_session secure=false/explicit@config/session.php:${S} httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} at=config/session.php:${S}`,
    ],
  },
  {
    name: 'SESSION_DOMAIN and SESSION_COOKIE from .env',
    files: {
      'config/session.php': CFG,
      'composer.lock': lock('v11.40.0'),
      '.env': 'SESSION_SECURE_COOKIE=true\nSESSION_DOMAIN=.example.com\nSESSION_COOKIE=shop_sid\n',
    },
    expect: [
      `cookie shop_sid secure=true/explicit@config/session.php:${S} httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} domain=.example.com/explicit@config/session.php:${lineOf(CFG, 'domain')} at=config/session.php:${S}`,
    ],
  },
  {
    name: 'config() at run time overrides the file',
    files: {
      'config/session.php': CFG,
      'composer.lock': lock('v11.40.0'),
      'app/Providers/AppServiceProvider.php':
        "<?php\nclass AppServiceProvider {\n  public function boot() {\n    config(['session.secure' => false]);\n  }\n}\n",
    },
    expect: [
      `cookie laravel_session secure=false/explicit@app/Providers/AppServiceProvider.php:4 httpOnly=true/explicit@config/session.php:${H} sameSite=lax/explicit@config/session.php:${SS} at=app/Providers/AppServiceProvider.php:4`,
    ],
  },
  {
    name: 'no config/session.php (Laravel 11 slim skeleton): the framework config applies',
    files: {
      'composer.lock': lock('v11.9.2'),
      'composer.json': '{"require": {"laravel/framework": "^11.9"}}',
      '.env': 'APP_NAME=Blog\n',
    },
    expect: [
      // Located where the application requires laravel/framework, never in composer.lock.
      'cookie blog_session secure=false/framework-default@composer.json:1 httpOnly=true/framework-default@composer.json:1 sameSite=lax/framework-default@composer.json:1 at=composer.json:1',
    ],
  },
  {
    name: 'not a Laravel app: nothing',
    files: { 'index.php': '<?php echo 1;', 'config/mail.php': "<?php return ['secure' => false];" },
    expect: [],
  },
];

for (const c of cases) {
  test(`laravel resolver: ${c.name}`, () => {
    assert.deepEqual(laravelResolver.resolve(projectOf(c.files)).map(summarize), c.expect);
  });
}

test('laravel: decoys (mail/database secure flags, XSRF-TOKEN) add nothing beyond the session cookie', () => {
  const files: Files = {
    'config/session.php': CFG,
    'composer.lock': lock('v10.48.4'),
    'config/mail.php':
      "<?php\nreturn ['mailers' => ['smtp' => ['secure' => false, 'encryption' => 'tls']]];\n",
    'config/database.php':
      "<?php\nreturn ['connections' => ['mysql' => ['options' => ['secure' => false]]]];\n",
    'resources/js/bootstrap.js': "axios.defaults.xsrfCookieName = 'XSRF-TOKEN';\n",
  };
  const all = resolvers.flatMap((r) => r.resolve(projectOf(files)));
  assert.deepEqual(
    all.map((o) => (o.kind === 'cookie' ? o.name : o.kind)),
    ['laravel_session'],
  );
});

test('laravel: Str::slug of APP_NAME (Illuminate/Support/Str.php)', () => {
  assert.equal(laravelSlug('Laravel', '_'), 'laravel');
  assert.equal(laravelSlug('My Shop', '_'), 'my_shop');
  assert.equal(laravelSlug('my-shop  app!', '_'), 'my_shop_app');
  assert.equal(laravelSlug('A@B', '_'), 'a_at_b');
  assert.equal(laravelSlug('  __x__  ', '_'), 'x');
});

test('laravel: the default states the version that decided it', () => {
  const [c] = laravelResolver.resolve(
    projectOf({ 'config/session.php': CFG, 'composer.lock': lock('v10.48.4') }),
  );
  assert.ok(c && c.kind === 'cookie');
  assert.deepEqual(
    c.secure.provenance.kind === 'framework-default' && [
      c.secure.provenance.framework,
      c.secure.provenance.version,
    ],
    ['laravel', '10.48.4'],
  );
  assert.match(
    (c.secure.provenance.kind === 'framework-default' && c.secure.provenance.note) || '',
    /11\.21/,
  );
  assert.equal(c.classification.category, 'session');
  // Persistent because 'expire_on_close' is off: located there.
  assert.equal(c.lifetime.kind, 'persistent');
  assert.equal(c.lifetime.kind === 'persistent' && c.lifetime.seconds, 7200);
  assert.equal(c.lifetime.kind === 'persistent' && c.lifetime.location?.line, lineOf(CFG, 'expire_on_close'));
});
