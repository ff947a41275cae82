/**
 * Rails / Rack case tables: short projects (path -> Ruby text) run through the real extractors and the
 * real resolver, then the real rules. Each case lists every finding it must give (rule, severity,
 * cookie, file:line); `[]` means it must give none. The decoys (TLS settings of mailers, databases,
 * HTTP and Redis clients, an options hash that is not a cookie's, test code, deletions) are cases too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { extractors, resolvers } from '../../src/collect/code/ruby/index.js';
import { isTestPath } from '../../src/collect/code/paths.js';
import type { CodeFact, FileFacts, ProjectFacts } from '../../src/collect/code/types.js';
import type { CookieObservation, Observation } from '../../src/model/observation.js';
import type { Finding } from '../../src/model/finding.js';
import { runRules } from '../../src/rules/index.js';

export function project(files: Record<string, string>): ProjectFacts {
  const out: FileFacts[] = [];
  for (const [file, text] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const facts: CodeFact[] = [];
    for (const ex of extractors) {
      if (!ex.files.some((g) => picomatch(g, { dot: true })(file))) continue;
      if (ex.keywords.length > 0 && !ex.keywords.some((k) => text.toLowerCase().includes(k.toLowerCase())))
        continue;
      facts.push(...ex.extract({ file, absPath: `/virtual/${file}`, text }));
    }
    out.push({ file, language: 'ruby', facts, inTestCode: isTestPath(file) });
  }
  return {
    root: '/virtual',
    files: out,
    paths: Object.keys(files).sort(),
    all: () => out.flatMap((f) => f.facts.map((fact) => ({ file: f, fact }))),
  };
}

export function observe(files: Record<string, string>): Observation[] {
  const p = project(files);
  return resolvers.flatMap((r) => r.resolve(p));
}

function row(f: Finding): string {
  return `${f.rule} ${f.severity} ${f.cookie ?? '-'} ${f.location ? `${f.location.file}:${f.location.line}` : '-'}`;
}

export function findings(files: Record<string, string>): string[] {
  return runRules(observe(files)).map(row).sort();
}

const APP = `module Shop
  class Application < Rails::Application
    config.load_defaults 7.1
  end
end
`;
const PROD_SSL = `Rails.application.configure do
  config.force_ssl = true
end
`;
const DEV = `Rails.application.configure do
  config.enable_reloading = true
end
`;

interface Case {
  name: string;
  files: Record<string, string>;
  findings: string[];
  /** When given: every cookie observation, as `name secure=<value>` (sorted). */
  cookies?: string[];
}

function cookieRows(files: Record<string, string>): string[] {
  return observe(files)
    .filter((o): o is CookieObservation => o.kind === 'cookie')
    .map((o) => `${o.name} secure=${String(o.secure.value)}`)
    .sort();
}

const CASES: Case[] = [
  // ------------------------------------------------------------------ must
  {
    name: 'default cookie store without force_ssl: not Secure (default), no HTTPS redirect, no HSTS',
    files: { 'config/application.rb': APP, 'config/environments/production.rb': DEV },
    findings: [
      'cookie-missing-secure high _shop_session config/application.rb:2',
      'hsts-missing low - config/environments/production.rb:1',
      'https-not-enforced low - config/environments/production.rb:1',
    ],
  },
  {
    name: 'session_store secure: false, force_ssl false explicitly',
    files: {
      'config/application.rb': APP,
      'config/environments/production.rb':
        'Rails.application.configure do\n  config.force_ssl = false\nend\n',
      'config/initializers/session_store.rb':
        'Rails.application.config.session_store :cookie_store, key: "_shop_session", secure: false\n',
    },
    findings: [
      'cookie-missing-secure high _shop_session config/initializers/session_store.rb:1',
      'hsts-missing low - config/environments/production.rb:2',
      'https-not-enforced low - config/environments/production.rb:2',
    ],
  },
  {
    name: 'secure: Rails.env.production? is env-dependent (development written out: not Secure)',
    files: {
      'config/application.rb': APP,
      'config/environments/production.rb': PROD_SSL,
      'config/initializers/session_store.rb':
        'Rails.application.config.session_store :cookie_store, key: "_shop_session", secure: Rails.env.production?\n',
    },
    findings: ['cookie-secure-env-dependent medium _shop_session config/initializers/session_store.rb:1'],
  },
  {
    name: 'secure: Rails.env.production? without force_ssl: Secure in production only',
    files: {
      'config/application.rb': APP,
      'config/initializers/session_store.rb':
        'Rails.application.config.session_store :cookie_store, key: "_shop_session", secure: Rails.env.production?\n',
    },
    findings: [
      'cookie-secure-env-dependent medium _shop_session config/initializers/session_store.rb:1',
      'hsts-missing low - config/application.rb:2',
      'https-not-enforced low - config/application.rb:2',
    ],
  },
  {
    name: 'force_ssl only in staging.rb that does not inherit production: staging Secure, production not',
    files: {
      'config/application.rb': APP,
      'config/environments/production.rb': DEV,
      'config/environments/staging.rb': PROD_SSL,
    },
    findings: ['cookie-secure-env-dependent high _shop_session config/application.rb:2'],
  },
  {
    name: 'httponly: false and same_site: :none on the session store',
    files: {
      'config/application.rb': APP,
      'config/environments/production.rb': PROD_SSL,
      'config/initializers/session_store.rb':
        'Rails.application.config.session_store :cookie_store, key: "_shop_session", httponly: false, same_site: :none\n',
    },
    findings: ['cookie-missing-httponly medium _shop_session config/initializers/session_store.rb:1'],
  },
  {
    name: 'cookies[] with a session-like name, no force_ssl: not Secure, not HttpOnly',
    files: {
      'config/application.rb': APP,
      'config/environments/production.rb': PROD_SSL.replace(
        'true',
        'true\n  config.ssl_options = { secure_cookies: false }',
      ),
      'app/controllers/auth_controller.rb':
        'class AuthController < ApplicationController\n  def create\n    cookies.signed[:auth_token] = { value: token, expires: 1.week.from_now }\n  end\nend\n',
    },
    findings: [
      'cookie-missing-httponly medium auth_token app/controllers/auth_controller.rb:3',
      'cookie-missing-secure high _shop_session config/environments/production.rb:2',
      'cookie-missing-secure high auth_token app/controllers/auth_controller.rb:3',
      'session-cookie-persistent low auth_token app/controllers/auth_controller.rb:3',
    ],
  },
  {
    name: 'Rack::Session::Cookie in config.ru: secure false by default, explicit httponly: false',
    files: {
      'config.ru':
        'use Rack::Session::Cookie, key: "app.sid", secret: ENV["SECRET"], httponly: false\nrun App\n',
    },
    findings: [
      'cookie-missing-httponly medium app.sid config.ru:1',
      'cookie-missing-secure high app.sid config.ru:1',
    ],
  },
  {
    name: 'ssl_options hsts: false turns HSTS off (max-age=0)',
    files: {
      'config/application.rb': APP,
      'config/environments/production.rb':
        'Rails.application.configure do\n  config.force_ssl = true\n  config.ssl_options = { hsts: false }\nend\n',
    },
    findings: ['hsts-missing low - config/environments/production.rb:2'],
  },
  {
    name: 'an HSTS expires shorter than 180 days',
    files: {
      'config/application.rb': APP,
      'config/environments/production.rb':
        'Rails.application.configure do\n  config.force_ssl = true\n  config.ssl_options = { hsts: { expires: 1.day } }\nend\n',
    },
    findings: ['hsts-weak low - config/environments/production.rb:2'],
  },
  {
    name: 'a secure: value read from ENV is not resolved: cookie-config-unresolved at info',
    files: {
      'config/application.rb': APP,
      'config/initializers/session_store.rb':
        'Rails.application.config.session_store :cookie_store, key: "_shop_session", secure: ENV["COOKIE_SECURE"] == "1"\n',
    },
    findings: [
      'cookie-config-unresolved info _shop_session config/initializers/session_store.rb:1',
      'hsts-missing low - config/application.rb:2',
      'https-not-enforced low - config/application.rb:2',
    ],
  },
  {
    name: 'force_ssl under if Rails.env.production? in application.rb',
    files: {
      'config/application.rb': APP.replace(
        '    config.load_defaults 7.1\n',
        '    config.load_defaults 7.1\n    if Rails.env.production?\n      config.force_ssl = true\n    end\n',
      ),
    },
    findings: [],
  },
  {
    name: 'Rack::Session::Cookie in config.ru wraps Rails from outside: force_ssl does not flag it',
    files: {
      'config/application.rb': APP.replace(
        '    config.load_defaults 7.1\n',
        '    config.load_defaults 7.1\n    config.force_ssl = true\n',
      ),
      'config.ru':
        'require_relative "config/environment"\nuse Rack::Session::Cookie, secret: ENV["SECRET"]\nrun Rails.application\n',
    },
    findings: ['cookie-missing-secure high rack.session config.ru:2'],
  },
  {
    name: 'domain: :all widens the session cookie to the parent domain',
    files: {
      'config/application.rb': APP,
      'config/environments/production.rb': PROD_SSL,
      'config/initializers/session_store.rb':
        'Rails.application.config.session_store :cookie_store, key: "_shop_session", domain: :all\n',
    },
    findings: ['cookie-domain-broad medium _shop_session config/initializers/session_store.rb:1'],
  },
  // ------------------------------------------------------------------ must not
  {
    name: 'Rack::Session::Cookie inside the Rails stack (config.middleware.use) with force_ssl',
    files: {
      'config/application.rb': APP.replace(
        '    config.load_defaults 7.1\n',
        '    config.load_defaults 7.1\n    config.force_ssl = true\n    config.middleware.use Rack::Session::Cookie, secret: ENV["SECRET"]\n',
      ),
    },
    findings: [],
    cookies: ['_shop_session secure=true', 'rack.session secure=true'],
  },
  {
    name: 'stock Rails 7.1 app: force_ssl in production.rb, nothing in development.rb',
    files: {
      'config/application.rb': APP,
      'config/environments/production.rb': PROD_SSL,
      'config/environments/development.rb': DEV,
      'config/environments/test.rb': 'Rails.application.configure do\n  config.force_ssl = false\nend\n',
    },
    findings: [],
  },
  {
    name: 'staging.rb inherits production.rb (require_relative)',
    files: {
      'config/application.rb': APP,
      'config/environments/production.rb': PROD_SSL,
      'config/environments/staging.rb':
        'require_relative "production"\n\nRails.application.configure do\n  config.log_level = :debug\nend\n',
    },
    findings: [],
  },
  {
    name: 'decoys: ssl/secure of a mailer, Active Record, Redis, Net::HTTP and a plain options hash',
    files: {
      'config/application.rb': APP.replace(
        '    config.load_defaults 7.1\n',
        '    config.load_defaults 7.1\n    config.force_ssl = true\n    config.action_mailer.smtp_settings = { ssl: false, enable_starttls_auto: false }\n    config.active_record.encryption.secure = false\n',
      ),
      'lib/client.rb':
        'class Client\n  def initialize\n    @http = Net::HTTP.new("x", 443)\n    @http.use_ssl = false\n    @redis = Redis.new(ssl: false)\n    @opts = { secure: false, httponly: false }\n    session_store = { secure: false }\n  end\nend\n',
    },
    findings: [],
  },
  {
    name: 'cookies.delete is a deletion; force_ssl makes cookies[] Secure; preference cookie without HttpOnly',
    files: {
      'config/application.rb': APP.replace(
        '    config.load_defaults 7.1\n',
        '    config.load_defaults 7.1\n    config.force_ssl = true\n',
      ),
      'app/controllers/logout_controller.rb':
        'class LogoutController < ApplicationController\n  def destroy\n    cookies.delete(:auth_token)\n    cookies[:theme] = "dark"\n  end\nend\n',
    },
    findings: [],
  },
  {
    name: 'test code is reported at info only',
    files: {
      'spec/support/login.rb': 'def sign_in\n  cookies[:session_id] = "abc"\nend\n',
    },
    findings: ['cookie-missing-secure info session_id spec/support/login.rb:2'],
  },
  {
    name: 'session_store :disabled gives no session cookie',
    files: {
      'config/application.rb': APP.replace(
        '    config.load_defaults 7.1\n',
        '    config.load_defaults 7.1\n    config.force_ssl = true\n    config.session_store :disabled\n',
      ),
    },
    findings: [],
    cookies: [],
  },
  {
    // Without force_ssl an enabled session cookie would be reported as not Secure: only :disabled keeps it out.
    name: 'session_store :disabled without force_ssl: no session cookie, only the HTTPS findings',
    files: {
      'config/application.rb': APP.replace(
        '    config.load_defaults 7.1\n',
        '    config.load_defaults 7.1\n    config.session_store :disabled\n',
      ),
    },
    findings: [
      'hsts-missing low - config/application.rb:2',
      'https-not-enforced low - config/application.rb:2',
    ],
    cookies: [],
  },
];

for (const c of CASES) {
  test(`rails case: ${c.name}`, () => {
    assert.deepEqual(findings(c.files), [...c.findings].sort());
    if (c.cookies) assert.deepEqual(cookieRows(c.files), [...c.cookies].sort());
  });
}

test('defaults: the session cookie name comes from the application class; SameSite from load_defaults', () => {
  const obs = observe({ 'config/application.rb': APP, 'config/environments/production.rb': PROD_SSL });
  const c = obs.find((o): o is CookieObservation => o.kind === 'cookie');
  assert.ok(c);
  assert.equal(c.name, '_shop_session');
  assert.equal(c.secure.value, true);
  assert.equal(c.httpOnly.value, true);
  assert.equal(c.httpOnly.provenance.kind, 'framework-default');
  assert.equal(c.sameSite.value, 'lax');
  const old = observe({ 'config/application.rb': APP.replace('7.1', '6.0') });
  const o = old.find((x): x is CookieObservation => x.kind === 'cookie');
  assert.equal(o?.sameSite.value, 'unset', 'load_defaults 6.0: no SameSite attribute');
});

test('env-dependent provenance names each environment', () => {
  const obs = observe({
    'config/application.rb': APP,
    'config/environments/staging.rb': DEV,
    'config/initializers/session_store.rb':
      'Rails.application.config.session_store :cookie_store, secure: Rails.env.production?\n',
  });
  const c = obs.find((o): o is CookieObservation => o.kind === 'cookie');
  assert.ok(c);
  assert.equal(c.secure.provenance.kind, 'env-dependent');
  if (c.secure.provenance.kind === 'env-dependent')
    assert.deepEqual(c.secure.provenance.perEnvironment, {
      development: false,
      production: true,
      staging: false,
    });
});

test('Gemfile.lock gives the Rails version named in default provenance', () => {
  const obs = observe({
    'Gemfile.lock':
      'GEM\n  remote: https://rubygems.org/\n  specs:\n    rails (7.0.8)\n      actionpack (= 7.0.8)\n    railties (7.0.8)\n',
    'config/application.rb': APP,
  });
  const c = obs.find((o): o is CookieObservation => o.kind === 'cookie');
  assert.ok(c && c.secure.provenance.kind === 'framework-default');
  if (c.secure.provenance.kind === 'framework-default') assert.equal(c.secure.provenance.version, '7.0.8');
});

test('each Rails app of a tree is judged on its own (engines keep a dummy app under spec/)', () => {
  const obs = observe({
    'config/application.rb': APP,
    'config/environments/production.rb': PROD_SSL,
    'spec/dummy/config/application.rb': APP.replace('Shop', 'Dummy'),
    'spec/dummy/app/controllers/home_controller.rb':
      'class HomeController\n  def index\n    cookies[:seen] = "1"\n  end\nend\n',
  });
  const names = obs
    .filter((o): o is CookieObservation => o.kind === 'cookie')
    .map((c) => `${c.name}@${c.app}:${String(c.secure.value)}`)
    .sort();
  assert.deepEqual(names, [
    '_dummy_session@spec/dummy:false',
    '_shop_session@.:true',
    'seen@spec/dummy:false',
  ]);
});
