/**
 * The whole path on realistic fixture projects: collectCode() (discovery, keyword filter, workers,
 * common .env / composer extractors, our extractors and resolvers) then runRules(). Each project
 * asserts every finding (rule, severity, cookie, location) and that the decoys produce none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { collectCode } from '../../src/collect/code/index.js';
import { runRules } from '../../src/rules/index.js';
import type { Finding } from '../../src/model/finding.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'scan-php');

function row(f: Finding): string {
  return `${f.rule} ${f.severity} ${f.cookie ?? '-'} ${f.location ? `${f.location.file}:${f.location.line}` : '-'}`;
}

async function scan(app: string, workers = 0) {
  const r = await collectCode([join(FIXTURES, app)], { workers });
  assert.deepEqual(r.errors, []);
  return { ...r, findings: runRules(r.observations) };
}

test('fixture laravel-app: env-dependent Secure, explicit flags in code, decoys silent', async () => {
  const { findings, observations } = await scan('laravel-app');
  assert.deepEqual(findings.map(row).sort(), [
    'cookie-domain-broad medium sso_token app/Http/Controllers/SsoController.php:11',
    'cookie-missing-secure high sso_token app/Http/Controllers/SsoController.php:11',
    'cookie-missing-secure info test_session tests/Feature/SessionTest.php:11',
    'cookie-missing-secure low theme app/Http/Controllers/PreferenceController.php:12',
    'cookie-secure-env-dependent medium acme_session config/session.php:45',
    'session-cookie-persistent low acme_session config/session.php:15',
  ]);
  const session = observations.find((o) => o.kind === 'cookie' && o.name === 'acme_session');
  assert.ok(session && session.kind === 'cookie');
  assert.deepEqual(session.secure.provenance, {
    kind: 'env-dependent',
    condition: "SESSION_SECURE_COOKIE (env('SESSION_SECURE_COOKIE'))",
    // .env.example is a template: it configures nothing; deployments without .env.production leave it unset.
    perEnvironment: { production: true, 'SESSION_SECURE_COOKIE unset': false },
    resolvedFrom: ['.env.production'],
  });
  // laravel/framework v11.9.2 from composer.lock: before 11.21, unset means not Secure.
  assert.equal(session.domain?.value, '.acme-shop.example');
  // Decoys: config/mail.php and config/database.php `'secure' => false`, the legacy_cart deletion, XSRF-TOKEN.
  const names = observations.flatMap((o) => (o.kind === 'cookie' ? [o.name] : []));
  assert.deepEqual(names.sort(), ['acme_session', 'sso_token', 'test_session', 'theme']);
});

test('fixture plain-php: ini_set over php.ini, .htaccess per directory, session id in URLs, decoys silent', async () => {
  const { findings, observations } = await scan('plain-php');
  assert.deepEqual(findings.map(row).sort(), [
    'cookie-missing-secure high GUESTBOOKSID public/legacy/.htaccess:4',
    'cookie-missing-secure high remember_token public/index.php:9',
    'cookie-shadowing-secure medium GUESTBOOKSID public/legacy/.htaccess:4',
    'session-id-in-url medium GUESTBOOKSID docker/php.ini:14',
  ]);
  const main = observations.find(
    (o) => o.kind === 'cookie' && o.name === 'GUESTBOOKSID' && o.location?.file === 'public/index.php',
  );
  assert.ok(main && main.kind === 'cookie');
  // php.ini says Off; src/bootstrap.php (required before session_start) says 1 and wins at run time.
  assert.equal(main.secure.value, true);
  assert.equal(main.secure.location?.file, 'src/bootstrap.php');
  assert.match(main.secure.evidence ?? '', /included before session_start/);
  assert.equal(main.httpOnly.value, true);
  assert.equal(main.sameSite.value, 'unset');
  assert.match(main.sameSite.evidence ?? '', /unquoted None/);
});

test('fixture symfony-app: when@prod makes Secure environment-dependent on Symfony 6.4', async () => {
  const { findings, observations } = await scan('symfony-app');
  assert.deepEqual(findings.map(row).sort(), [
    'cookie-missing-secure medium cart_id src/Controller/CartController.php:14',
    'cookie-secure-env-dependent medium PHPSESSID config/packages/framework.yaml:21',
  ]);
  const s = observations.find((o) => o.kind === 'cookie' && o.name === 'PHPSESSID');
  assert.ok(s && s.kind === 'cookie');
  assert.deepEqual(s.secure.provenance.kind === 'env-dependent' && s.secure.provenance.perEnvironment, {
    prod: true,
    dev: false,
  });
  assert.equal(s.sameSite.value, 'lax');
  assert.equal(s.httpOnly.value, true);
  assert.ok(!observations.some((o) => o.kind === 'proxy-trust'));
});

test('fixture decoys: commented code, quoted settings, non-session arrays, CSRF cookie, deletions: no finding', async () => {
  const { findings, observations } = await scan('decoys');
  assert.deepEqual(findings.map(row), []);
  assert.deepEqual(
    observations.map((o) => (o.kind === 'cookie' ? `${o.name} ${o.classification.category}` : o.kind)),
    ['XSRF-TOKEN csrf'],
  );
});

test('fixtures: worker threads give the same observations as the in-process run', async () => {
  for (const app of ['laravel-app', 'plain-php', 'symfony-app', 'decoys']) {
    const a = await scan(app, 0);
    const b = await scan(app, 2);
    assert.ok(b.stats.workers > 0, 'workers were used');
    assert.deepEqual(b.observations, a.observations, app);
  }
});
