/**
 * The whole path on the Ruby fixture projects (test/fixtures/scan-ruby): collectCode() (discovery,
 * keyword filter, workers, Gemfile / Gemfile.lock, the Rails extractor and resolver) then runRules().
 * Each project asserts every finding. Decoys in the fixtures (a mailer's ssl, Active Record
 * encryption, Net::HTTP use_ssl, Redis ssl, an options hash with secure: false, a spec's cookie, a
 * deletion) give nothing beyond what is listed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectCode } from '../../src/collect/code/index.js';
import type { Finding } from '../../src/model/finding.js';
import type { CookieObservation, Observation } from '../../src/model/observation.js';
import { runRules } from '../../src/rules/index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/scan-ruby/', import.meta.url));

function row(f: Finding): string {
  return `${f.rule} ${f.severity} ${f.cookie ?? '-'} ${f.location ? `${f.location.file}:${f.location.line}` : '-'}`;
}

async function scan(app: string) {
  const r = await collectCode([join(FIXTURES, app)], { workers: 0 });
  assert.deepEqual(r.errors, []);
  return { ...r, findings: runRules(r.observations) };
}

function cookie(obs: Observation[], name: string): CookieObservation {
  const c = obs.find((o): o is CookieObservation => o.kind === 'cookie' && o.name === name);
  assert.ok(c, `cookie ${name}`);
  return c;
}

test('shop (Rails 7.1): force_ssl in production.rb, staging inherits it, decoys silent', async () => {
  const { findings, observations } = await scan('shop');
  assert.deepEqual(findings.map(row).sort(), [
    'cookie-secure-env-dependent low beta config/environments/production.rb:7',
    'session-cookie-persistent low _shop_session config/initializers/session_store.rb:2',
  ]);
  const s = cookie(observations, '_shop_session');
  assert.equal(s.secure.value, true);
  assert.equal(s.sameSite.value, 'lax', 'load_defaults 7.1');
  const hsts = observations.find((o) => o.kind === 'hsts');
  assert.ok(
    hsts && hsts.kind === 'hsts' && hsts.parsed?.maxAge === 31556952,
    'ssl_options hsts expires: 1.year',
  );
  assert.equal(cookie(observations, 'old_cart').deletion, true);
  assert.equal(cookie(observations, 'remember_token').lifetime.kind, 'persistent');
});

test('blog (Rails 6.1): secure: Rails.env.production?, httponly: false, no force_ssl', async () => {
  const { findings, observations } = await scan('blog');
  assert.deepEqual(findings.map(row).sort(), [
    'cookie-missing-httponly medium _blog_session config/initializers/session_store.rb:4',
    'cookie-missing-httponly medium legacy_sid app/controllers/sessions_controller.rb:4',
    'cookie-missing-secure high legacy_sid app/controllers/sessions_controller.rb:4',
    'cookie-secure-env-dependent medium _blog_session config/initializers/session_store.rb:3',
    'hsts-missing low - config/environments/production.rb:1',
    'https-not-enforced low - config/environments/production.rb:1',
  ]);
  const s = cookie(observations, '_blog_session');
  assert.equal(s.sameSite.value, 'none');
  const secure = s.secure.provenance;
  assert.equal(secure.kind, 'env-dependent');
  if (secure.kind === 'env-dependent')
    assert.deepEqual(secure.perEnvironment, { development: false, production: true });
  const legacy = findings.find((f) => f.cookie === 'legacy_sid' && f.rule === 'cookie-missing-secure');
  assert.match(legacy?.fix ?? '', /cookies\[:name\]/);
  assert.match(legacy?.message ?? '', /rails 6\.1\.7's default/);
});

test('rack-app: Rack::Session::Cookie in config.ru', async () => {
  const { findings } = await scan('rack-app');
  assert.deepEqual(findings.map(row).sort(), [
    'cookie-missing-secure high rack.session config.ru:4',
    'session-cookie-persistent low rack.session config.ru:8',
  ]);
  const f = findings.find((x) => x.rule === 'cookie-missing-secure');
  assert.match(f?.fix ?? '', /Rack::Session::Cookie, .*secure: true/);
});
