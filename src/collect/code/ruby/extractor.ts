/**
 * Ruby on Rails and Rack facts of one Ruby file (or `config.ru`), parsed with tree-sitter-ruby
 * (@ast-grep/lang-ruby):
 *
 * - `config.force_ssl`, `config.assume_ssl`, `config.ssl_options`,
 *   `config.action_dispatch.cookies_same_site_protection`, `config.load_defaults`,
 *   `config.action_dispatch.always_write_cookie` (settings, scoped to an environment when the file
 *   is `config/environments/<env>.rb` or the assignment sits under `if Rails.env.<env>?`);
 * - `config.session_store :cookie_store, key:, secure:, httponly:, same_site:, domain:, expire_after:`
 *   (the session cookie; `:disabled` turns it off) and `use Rack::Session::Cookie, ...`
 *   (also `config.middleware.use Rack::Session::Cookie, ...`);
 * - `cookies[:x] = v | { value:, secure:, httponly:, same_site:, domain:, expires: }` through
 *   `cookies`, `cookies.permanent`, `.signed`, `.encrypted` (and chains of them), `cookies.delete`
 *   (a deletion), `response.set_cookie(name, { ... })`;
 * - the application class (`class Application < Rails::Application` in `module Shop`), whose name
 *   gives the default session cookie `_shop_session`.
 *
 * Only these receivers are read: a `secure:` / `ssl:` key of a mailer, database, Redis or HTTP client
 * configuration is never a cookie setting here.
 */
import type { SgNode } from '@ast-grep/napi';
import { parseAs } from '../common/grammar.js';
import { evidenceOf, locationOf } from '../common/location.js';
import type { CodeFact, Extractor, SettingValue, SourceFile } from '../types.js';
import type { CodeLocation } from '../../../model/observation.js';
import { argsOf, envTestOf, hasSplat, pairsOf, scalarOf, stringOf, valueOf } from './values.js';

/** Where in a Rails app a setting is made: decides which one wins (later kinds run later at boot). */
export type RailsVia = 'application' | 'environment' | 'initializer' | 'other';

export interface RailsSettingDetail {
  root: string;
  /** ssl_options, parsed: `redirect: false`, `secure_cookies: false`, `hsts: false | { expires:, subdomains: }`. */
  ssl?: {
    redirect?: SettingValue;
    secureCookies?: SettingValue;
    hsts?: SettingValue;
    hstsExpires?: SettingValue;
    hstsSubdomains?: SettingValue;
    splat?: boolean;
  };
}

export interface OptionSite {
  value: SettingValue;
  location: CodeLocation;
  evidence: string;
}

export interface RailsSessionDetail {
  root: string;
  /** The store (`cookie_store`, `cache_store`, `active_record_store`, `disabled` ...); `rack-cookie` for Rack::Session::Cookie. */
  store: string;
  options: Record<string, OptionSite>;
  /** `**opts` passed: keys this scanner cannot see. */
  splat: boolean;
}

export interface RailsCookieDetail {
  root: string;
  /** cookies.permanent: expires 20 years from now (action_dispatch/middleware/cookies.rb PermanentCookieJar). */
  permanent: boolean;
  jar: string;
}

const SETTING_KEYS: Record<string, string> = {
  force_ssl: 'force_ssl',
  assume_ssl: 'assume_ssl',
  ssl_options: 'ssl_options',
  'action_dispatch.cookies_same_site_protection': 'cookies_same_site_protection',
  'action_dispatch.always_write_cookie': 'always_write_cookie',
};

/**
 * The directory a Rails app lives in: the part of the path before its last `config/` or `app/` folder
 * (`spec/dummy/config/application.rb` -> `spec/dummy`), else before its first `lib/`, `spec/` or
 * `test/` folder, else the file's own folder (`config.ru`).
 */
export function railsRootOf(file: string): string {
  const parts = file.split('/');
  const dirs = parts.slice(0, -1);
  let i = -1;
  for (let j = dirs.length - 1; j >= 0; j--)
    if (dirs[j] === 'config' || dirs[j] === 'app') {
      i = j;
      break;
    }
  if (i < 0) i = dirs.findIndex((p) => p === 'lib' || p === 'spec' || p === 'test');
  if (i >= 0) return parts.slice(0, i).join('/');
  return dirs.join('/');
}

function viaOf(file: string): { via: RailsVia; environment?: string } {
  const m = /(?:^|\/)config\/environments\/([^/]+)\.rb$/.exec(file);
  if (m) return { via: 'environment', environment: m[1]! };
  if (/(?:^|\/)config\/initializers\//.test(file)) return { via: 'initializer' };
  if (/(?:^|\/)config\/application\.rb$/.test(file) || /(?:^|\/)config\.ru$/.test(file))
    return { via: 'application' };
  return { via: 'other' };
}

/** `config`, `Rails.application.config`, `Shop::Application.config`, `app.config`. */
function isConfigReceiver(n: SgNode | null | undefined): boolean {
  if (!n) return false;
  if (n.kind() === 'identifier') return n.text() === 'config';
  return n.kind() === 'call' && n.field('method')?.text() === 'config';
}

/** The environment an enclosing `if Rails.env.production?` (or `Rails.env == 'production'`) selects, if any. */
function guardEnvironment(n: SgNode): string | undefined {
  let child: SgNode = n;
  for (let p = n.parent(); p; child = p, p = p.parent()) {
    const k = p.kind();
    if (k !== 'if' && k !== 'if_modifier') continue;
    const cond = p.field('condition');
    if (!cond || cond.range().start.index === child.range().start.index) continue;
    // The else branch of an `if` is not guarded by the condition.
    const alt = p.field('alternative');
    if (
      alt &&
      alt.range().start.index <= n.range().start.index &&
      n.range().end.index <= alt.range().end.index
    )
      continue;
    const t = envTestOf(cond);
    if (t && t.op === 'eq' && t.variable === 'RAILS_ENV') return t.value;
  }
  return undefined;
}

function underscore(name: string): string {
  return name
    .replace(/::/g, '/')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * The application's name as Rails derives the default session key from it:
 * `app.railtie_name.chomp("_application")`, railtie_name = `underscore(class name).tr("/", "_")`
 * (railties 6.1.7.10 lib/rails/application/finisher.rb setup_default_session_store, railtie.rb):
 * `Shop::Application` -> `shop`, `RtApp` -> `rt_app`.
 */
function appNameOf(cls: SgNode): string | null {
  const name = cls.field('name')?.text();
  if (!name) return null;
  const modules: string[] = [];
  for (let p = cls.parent(); p; p = p.parent())
    if (p.kind() === 'module') modules.unshift(p.field('name')?.text() ?? '');
  const full = [...modules, name].filter((x) => x !== '').join('::');
  return underscore(full)
    .replace(/\//g, '_')
    .replace(/_application$/, '');
}

function optionsOf(
  n: SgNode | undefined,
  file: string,
): { options: Record<string, OptionSite>; splat: boolean } {
  const options: Record<string, OptionSite> = {};
  if (!n) return { options, splat: false };
  for (const [k, { value, pair }] of pairsOf(n))
    options[k] = { value: valueOf(value), location: locationOf(pair, file), evidence: evidenceOf(pair) };
  return { options, splat: hasSplat(n) };
}

/** The keyword arguments of a call (an argument list with pairs, or a trailing hash). */
function kwargsNode(call: SgNode): SgNode | undefined {
  const al = call.field('arguments');
  if (!al) return undefined;
  if (al.children().some((c) => c.kind() === 'pair' || c.kind() === 'hash_splat_argument')) return al;
  return argsOf(call).find((a) => a.kind() === 'hash');
}

/** `cookies`, `cookies.permanent`, `cookies.signed.permanent` ...: the jar methods, or null when `n` is not a cookie jar. */
function jarChain(n: SgNode | null | undefined): string[] | null {
  if (!n) return null;
  if (n.kind() === 'identifier') return n.text() === 'cookies' ? [] : null;
  if (n.kind() === 'call' && !n.field('arguments')) {
    const m = n.field('method')?.text() ?? '';
    if (!['permanent', 'signed', 'encrypted', 'signed_or_encrypted'].includes(m)) return null;
    const inner = jarChain(n.field('receiver'));
    return inner ? [...inner, m] : null;
  }
  return null;
}

export function extractRuby(file: SourceFile): CodeFact[] {
  const root = parseAs('ruby', file.text).root();
  const out: CodeFact[] = [];
  const rootDir = railsRootOf(file.file);
  const { via, environment: fileEnv } = viaOf(file.file);
  const loc = (n: SgNode): CodeLocation => locationOf(n, file.file);

  const setting = (
    key: string,
    node: SgNode,
    valueNode: SgNode,
    extra?: Partial<RailsSettingDetail>,
  ): void => {
    const environment = fileEnv ?? guardEnvironment(node);
    const detail: RailsSettingDetail = { root: rootDir, ...extra };
    out.push({
      type: 'setting',
      framework: 'rails',
      key,
      value: valueOf(valueNode),
      location: loc(node),
      evidence: evidenceOf(node),
      via,
      ...(environment ? { scope: { environment } } : {}),
      detail,
    });
  };

  const session = (
    node: SgNode,
    store: string,
    kw: SgNode | undefined,
    framework: string,
    api: string,
  ): void => {
    const { options, splat } = optionsOf(kw, file.file);
    const environment = fileEnv ?? guardEnvironment(node);
    const key = options.key?.value;
    const detail: RailsSessionDetail = { root: rootDir, store, options, splat };
    out.push({
      type: 'session-enabled',
      framework,
      api,
      location: loc(node),
      evidence: evidenceOf(node),
      ...(key && key.kind === 'literal' && typeof key.value === 'string' ? { cookieName: key.value } : {}),
      ...(environment
        ? {
            guard: {
              condition: `Rails.env.${environment}?`,
              test: { op: 'eq', variable: 'RAILS_ENV', value: environment, default: 'development' },
            },
          }
        : {}),
      detail,
    });
  };

  const cookieSet = (
    node: SgNode,
    nameNode: SgNode | undefined,
    valueNode: SgNode | undefined,
    chain: string[],
    api: string,
    deletion = false,
  ): void => {
    const name = nameNode ? stringOf(nameNode) : null;
    const options: Record<string, SettingValue> = {};
    const optionSites: Record<string, { location: CodeLocation; evidence: string }> = {};
    let constantValue: 'number' | 'boolean' | 'string' | undefined;
    if (valueNode?.kind() === 'hash') {
      for (const [k, { value, pair }] of pairsOf(valueNode)) {
        if (k === 'value') {
          const s = scalarOf(value);
          if (s !== undefined && s !== null) constantValue = typeof s as 'number' | 'boolean' | 'string';
          continue;
        }
        options[k] = valueOf(value);
        optionSites[k] = { location: loc(pair), evidence: evidenceOf(pair) };
      }
    } else if (valueNode) {
      const s = scalarOf(valueNode);
      if (s !== undefined && s !== null) constantValue = typeof s as 'number' | 'boolean' | 'string';
    }
    const detail: RailsCookieDetail = {
      root: rootDir,
      permanent: chain.includes('permanent'),
      jar: ['cookies', ...chain].join('.'),
    };
    out.push({
      type: 'cookie-set',
      framework: 'rails',
      name,
      options,
      setBy: 'server',
      location: loc(node),
      evidence: evidenceOf(node),
      api,
      optionSites,
      ...(deletion ? { deletion: true } : {}),
      ...(constantValue ? { constantValue } : {}),
      detail,
    });
  };

  for (const n of root.findAll({
    rule: { any: [{ kind: 'assignment' }, { kind: 'call' }, { kind: 'class' }] },
  })) {
    const kind = n.kind();
    if (kind === 'assignment') {
      const left = n.field('left');
      const right = n.field('right');
      if (!left || !right) continue;
      if (left.kind() === 'call') {
        // config.force_ssl = true / config.action_dispatch.cookies_same_site_protection = :lax
        const method = left.field('method')?.text() ?? '';
        let recv = left.field('receiver');
        let path = method;
        if (recv?.kind() === 'call' && recv.field('method')?.text() === 'action_dispatch') {
          path = `action_dispatch.${method}`;
          recv = recv.field('receiver');
        }
        const key = SETTING_KEYS[path];
        if (!key || !isConfigReceiver(recv)) continue;
        if (key === 'ssl_options') {
          const ssl: NonNullable<RailsSettingDetail['ssl']> = {};
          if (right.kind() === 'hash') {
            const p = pairsOf(right);
            if (p.has('redirect')) ssl.redirect = valueOf(p.get('redirect')!.value);
            if (p.has('secure_cookies')) ssl.secureCookies = valueOf(p.get('secure_cookies')!.value);
            const h = p.get('hsts')?.value;
            if (h) {
              if (h.kind() === 'hash') {
                const hp = pairsOf(h);
                if (hp.has('expires')) ssl.hstsExpires = valueOf(hp.get('expires')!.value);
                if (hp.has('subdomains')) ssl.hstsSubdomains = valueOf(hp.get('subdomains')!.value);
              } else ssl.hsts = valueOf(h);
            }
            if (hasSplat(right)) ssl.splat = true;
          } else ssl.splat = true;
          setting(key, n, right, { ssl });
        } else setting(key, n, right);
      } else if (left.kind() === 'element_reference') {
        // cookies[:name] = ..., cookies.permanent.signed[:name] = ...
        const kids = left.children();
        const chain = jarChain(kids[0]);
        if (!chain) continue;
        const nameNode = kids.find((c, i) => i > 0 && !['[', ']'].includes(String(c.kind())));
        cookieSet(n, nameNode, right, chain, 'cookies');
      }
      continue;
    }
    if (kind === 'class') {
      const sup = n.field('superclass')?.text().replace(/^<\s*/, '').replace(/^::/, '');
      if (sup !== 'Rails::Application') continue;
      const name = appNameOf(n);
      if (name)
        out.push({
          type: 'other',
          framework: 'rails',
          key: 'rails-app',
          data: { root: rootDir, name },
          location: loc(n),
          evidence: `class ${n.field('name')?.text() ?? ''} < Rails::Application`,
        });
      continue;
    }
    // calls
    const method = n.field('method')?.text() ?? '';
    const recv = n.field('receiver');
    if (method === 'session_store' && isConfigReceiver(recv)) {
      const args = argsOf(n);
      const store = args[0] ? stringOf(args[0]) : null;
      if (store === null) continue;
      session(n, store, kwargsNode(n), 'rails', 'session_store');
    } else if (method === 'load_defaults' && isConfigReceiver(recv)) {
      const a = argsOf(n)[0];
      if (a) setting('load_defaults', n, a);
    } else if (method === 'use' && (!recv || recv.text().endsWith('middleware'))) {
      const args = argsOf(n);
      const mw = args[0]?.text().replace(/^::/, '');
      if (mw !== 'Rack::Session::Cookie') continue;
      // Rails' own middleware stack: the Rails app's cookie; a bare `use` in config.ru: Rack's.
      session(
        n,
        recv ? 'rack-cookie-in-rails' : 'rack-cookie',
        kwargsNode(n),
        'rack',
        'Rack::Session::Cookie',
      );
    } else if (method === 'require_relative' && !recv && fileEnv) {
      // config/environments/staging.rb: `require_relative "production"` runs production's settings first.
      const target = stringOf(argsOf(n)[0])?.replace(/^\.\//, '').replace(/\.rb$/, '');
      if (target && /^[\w-]+$/.test(target))
        out.push({
          type: 'other',
          framework: 'rails',
          key: 'rails-env-inherits',
          data: { root: rootDir, env: fileEnv, from: target },
          location: loc(n),
          evidence: evidenceOf(n),
        });
    } else if (method === 'delete' && jarChain(recv) !== null) {
      const a = argsOf(n);
      cookieSet(n, a[0], undefined, jarChain(recv)!, 'cookies', true);
    } else if ((method === 'set_cookie' || method === 'delete_cookie') && recv?.text() === 'response') {
      const a = argsOf(n);
      cookieSet(n, a[0], a[1], [], 'response.set_cookie', method === 'delete_cookie');
    }
  }
  return out;
}

export const railsExtractor: Extractor = {
  name: 'rails',
  files: ['**/*.rb', '**/config.ru'],
  keywords: [
    'session_store',
    'force_ssl',
    'assume_ssl',
    'ssl_options',
    'same_site_protection',
    'always_write_cookie',
    'load_defaults',
    'cookies',
    'set_cookie',
    'delete_cookie',
    'Rack::Session',
    'Rails::Application',
    'application.configure',
  ],
  extract: extractRuby,
};
