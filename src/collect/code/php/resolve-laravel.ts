/**
 * Laravel's session cookie, from config/session.php, the .env files beside it and the
 * laravel/framework version.
 *
 * Facts from laravel/framework (checked in its git history):
 *  - StartSession::addCookieToResponse() builds `new Cookie(name, id, expiry, path, domain,
 *    $config['secure'], $config['http_only'] ?? true, false, $config['same_site'] ?? null, ...)`.
 *  - Before v11.21.0 it passed `$config['secure'] ?? false`: unset means not Secure. From v11.21.0
 *    (commit 6ae8c9a3, "[11.x] Auto-secure cookies", #52422) it passes `$config['secure']`: null lets
 *    Symfony's Response::prepare() mark the cookie Secure when the request is HTTPS. Behind a
 *    TLS-terminating proxy the request is HTTPS only when the proxy is trusted (TrustProxies).
 *  - Env::get() (Illuminate/Support/Env.php) turns "true"/"false"/"null"/"empty" into true/false/null/"";
 *    with Laravel's .env loading, `.env.{APP_ENV}` replaces `.env` when it exists.
 *  - The stock config (v11.21.0 config/session.php): secure env('SESSION_SECURE_COOKIE'), http_only
 *    env('SESSION_HTTP_ONLY', true), same_site env('SESSION_SAME_SITE', 'lax'), domain
 *    env('SESSION_DOMAIN'), cookie env('SESSION_COOKIE', Str::slug(env('APP_NAME', 'laravel'), '_').'_session').
 *    From Laravel 11 the application may omit config/session.php and get these.
 *  - The XSRF-TOKEN cookie (VerifyCsrfToken::newCookie) shares the session's Secure/SameSite and is
 *    deliberately not HttpOnly: it is not reported separately (one consequence, one finding).
 */
import type {
  Attr,
  CodeLocation,
  CookieObservation,
  Observation,
  SameSiteValue,
  SecureValue,
} from '../../../model/observation.js';
import type { FileFacts, ProjectFacts, Resolver } from '../types.js';
import { attrWithDefault, labelOf, secureCollapse, type InterpretContext } from './interpret.js';
import { laravelSlug, type LaravelCookieNameDetail } from './laravel-config.js';
import { prefixOf } from '../common/cookie.js';
import {
  atLeast,
  baseOf,
  classifyFor,
  composerVersion,
  defaultAttr,
  deploymentEvidence,
  terminatesTls,
  dirOf,
  envFiles,
  explicit,
  isProductionName,
  isTestEnvironment,
  lifetimeOfSeconds,
  REDACTED,
  sameSiteOf,
  unknownAttr,
  versionLabel,
  type EnvFile,
  type VersionInfo,
} from './resolve-common.js';
import { buildPhpModel, proxyObservation, trustsProxies, type PhpModel } from './resolve-php.js';
import { laravelEnv, phpTruthy, toIniString, type PhpSettingDetail, type PhpValue } from './values.js';

const AUTO_SECURE_SINCE = '11.21.0';

interface LSetting {
  key: string;
  value: PhpValue;
  detail: PhpSettingDetail & Partial<LaravelCookieNameDetail>;
  location: CodeLocation;
  evidence: string;
  ff: FileFacts;
  via: string;
}

const envCall = (variable: string, dflt?: PhpValue): PhpValue => {
  const v: PhpValue = {
    kind: 'env',
    variable,
    via: 'env',
    expression: `env('${variable}'${dflt && dflt.kind === 'literal' ? `, ${JSON.stringify(dflt.value)}` : ''})`,
  };
  if (dflt) v.default = dflt;
  return v;
};
const lit = (value: string | number | boolean | null): PhpValue => ({ kind: 'literal', value });

/** laravel/framework v11.21.0 config/session.php, used when the application has none. */
const STOCK: Record<string, PhpValue> = {
  driver: envCall('SESSION_DRIVER', lit('database')),
  lifetime: envCall('SESSION_LIFETIME', lit(120)),
  expire_on_close: envCall('SESSION_EXPIRE_ON_CLOSE', lit(false)),
  path: envCall('SESSION_PATH', lit('/')),
  domain: envCall('SESSION_DOMAIN'),
  secure: envCall('SESSION_SECURE_COOKIE'),
  http_only: envCall('SESSION_HTTP_ONLY', lit(true)),
  same_site: envCall('SESSION_SAME_SITE', lit('lax')),
};

interface Trust {
  value: PhpValue;
  location: CodeLocation;
  file: string;
}

/** One Laravel application of the tree: its folder, its config/session.php (if any) and version. */
interface LaravelApp {
  root: string;
  configFile?: string;
  version: VersionInfo | null;
}

/**
 * The Laravel applications of the tree, each judged on its own: every config/session.php (also under
 * another config folder name, `app/Config/session.php` when the application overrides configPath()),
 * whose application folder is the nearest composer project above it; and every composer project that
 * requires laravel/framework without one (the framework's own config/session.php applies).
 */
function laravelApps(project: ProjectFacts, settings: LSetting[]): LaravelApp[] {
  const composerDirs = new Set<string>();
  const laravelDirs = new Set<string>();
  for (const { file, fact } of project.all()) {
    if (fact.type !== 'dependency' || fact.ecosystem !== 'composer') continue;
    const dir = dirOf(file.file);
    composerDirs.add(dir);
    if (fact.name.toLowerCase() === 'laravel/framework') laravelDirs.add(dir);
  }
  const nearestComposer = (file: string): string | undefined => {
    for (let d = dirOf(file); ; d = dirOf(d)) {
      if (composerDirs.has(d)) return d;
      if (d === '') return undefined;
    }
  };
  const apps: LaravelApp[] = [];
  const configFiles = [
    ...new Set(settings.filter((s) => s.via === 'config/session.php').map((s) => s.ff.file)),
  ];
  for (const configFile of configFiles.sort()) {
    const root = nearestComposer(configFile) ?? dirOf(dirOf(configFile));
    if (apps.some((a) => a.root === root)) continue; // one config/session.php per application
    apps.push({ root, configFile, version: null });
  }
  for (const dir of [...laravelDirs].sort()) {
    if (!apps.some((a) => a.root === dir)) apps.push({ root: dir, version: null });
  }
  for (const app of apps) {
    app.version =
      composerVersion(project, 'laravel/framework', app.root) ??
      (apps.length === 1 ? composerVersion(project, 'laravel/framework') : null);
  }
  return apps.filter((a) => a.configFile || a.version);
}

/** The application a file belongs to: the one with the deepest folder containing it. */
function appOf(apps: LaravelApp[], file: string): LaravelApp | undefined {
  let best: LaravelApp | undefined;
  for (const a of apps) {
    if (a.root !== '' && !file.startsWith(a.root + '/')) continue;
    if (!best || a.root.length > best.root.length) best = a;
  }
  return best;
}

export function resolveLaravel(project: ProjectFacts): Observation[] {
  const settings: LSetting[] = [];
  const trust: Trust[] = [];
  for (const { file, fact } of project.all()) {
    if (fact.type === 'setting' && fact.framework === 'laravel') {
      const detail = (fact.detail ?? {
        value: { kind: 'unknown', expression: fact.evidence, reason: 'no detail' },
      }) as LSetting['detail'];
      settings.push({
        key: fact.key.replace(/^session\./, ''),
        value: detail.value,
        detail,
        location: fact.location,
        evidence: fact.evidence,
        ff: file,
        via: fact.via ?? 'config/session.php',
      });
    } else if (fact.type === 'other' && fact.framework === 'laravel' && fact.key === 'trust-proxies') {
      trust.push({
        value: (fact.data as { value: PhpValue }).value,
        location: fact.location,
        file: file.file,
      });
    }
  }
  const apps = laravelApps(project, settings);
  if (apps.length === 0) return [];
  const m = buildPhpModel(project);
  const out: Observation[] = [];
  for (const app of apps) {
    const own = settings.filter((s) =>
      s.via === 'config/session.php' ? s.ff.file === app.configFile : appOf(apps, s.ff.file) === app,
    );
    const ownTrust = trust.filter((t) => appOf(apps, t.file) === app);
    out.push(...resolveApp(project, m, app, own, ownTrust));
  }
  return out;
}

function resolveApp(
  project: ProjectFacts,
  m: PhpModel,
  app: LaravelApp,
  settings: LSetting[],
  trust: Trust[],
): Observation[] {
  const { configFile, version, root } = app;
  // Laravel loads `.env`, or `.env.{APP_ENV}` instead when it exists (LoadEnvironmentVariables); never
  // `.env.X.local`. Templates (`.env.example`) configure nothing; test environments are not deployments.
  const env = envFiles(project).filter(
    (e) =>
      e.dir === root &&
      (e.base === '.env' || /^\.env\.[^.]+$/.test(e.base)) &&
      !e.template &&
      !isTestEnvironment(e),
  );
  const ctx: InterpretContext = {
    envFiles: env,
    constants: new Map(),
    unsetEnvironment: !env.some((e) => e.base === '.env'),
  };

  const fromConfig = (key: string): LSetting | undefined => {
    // Run-time config(['session.x' => ...]) / Config::set() win over the file.
    const rt = settings.filter((s) => s.key === key && s.via !== 'config/session.php');
    if (rt.length) return rt[rt.length - 1];
    return settings.find((s) => s.key === key && s.via === 'config/session.php');
  };
  // Without config/session.php the finding is located at composer.json's laravel/framework line; a
  // composer.lock alone (no manifest) gives no place to locate it (never in composer.lock).
  const manifest = configFile ? undefined : manifestLocation(project, root);
  if (!configFile && !manifest) return [];
  const anchor: { location: CodeLocation; evidence: string; ff?: FileFacts } = configFile
    ? (() => {
        const s = fromConfig('secure') ?? settings.find((x) => x.via === 'config/session.php')!;
        return { location: s.location, evidence: s.evidence, ff: s.ff };
      })()
    : {
        location: manifest!,
        evidence:
          `laravel/framework ${versionLabel(version) ?? ''} (no config/session.php: the framework's own applies)`.trim(),
      };
  const inTestCode = anchor.ff?.inTestCode ?? false;
  const value = (
    key: string,
  ): { v: PhpValue; where: { location: CodeLocation; evidence: string }; s?: LSetting } => {
    const s = fromConfig(key);
    if (s) {
      const note = s.via === 'config/session.php' ? '' : ` (set at run time by ${s.via})`;
      return { v: s.value, where: { location: s.location, evidence: s.evidence + note }, s };
    }
    const stock = STOCK[key] ?? lit(null);
    return {
      v: configFile ? lit(null) : stock,
      where: {
        location: anchor.location,
        evidence: configFile
          ? `'${key}' is not set in ${configFile}`
          : `${anchor.evidence}: '${key}' => ${stockText(stock)}`,
      },
    };
  };

  /** Without config/session.php, a value from the framework's own config is a framework default. */
  const stockDefault = <T>(key: string, a: Attr<T>): Attr<T> => {
    if (configFile || fromConfig(key) || a.provenance.kind !== 'explicit') return a;
    const stock = STOCK[key];
    if (stock?.kind === 'env' && env.some((e) => e.variables[stock.variable] !== undefined)) return a;
    const note = `laravel/framework's own config/session.php: '${key}' => ${stock ? stockText(stock) : 'null'}`;
    return {
      ...a,
      provenance: {
        kind: 'framework-default',
        framework: 'laravel',
        note,
        ...(vlabel ? { version: vlabel } : {}),
      },
    };
  };

  // driver null: StartSession::sessionIsPersistent() is false, no session cookie.
  const driver = value('driver');
  if (driver.v.kind === 'literal' && driver.v.value === null && driver.s) return [];

  // Secure
  const newer = atLeast(version, AUTO_SECURE_SINCE);
  const vlabel = versionLabel(version);
  const sec = value('secure');
  const secureDefault: { value: SecureValue | 'unknown'; attr: () => Attr<SecureValue> } =
    newer === true
      ? {
          value: 'auto',
          attr: () =>
            defaultAttr<SecureValue>(
              'auto',
              'laravel',
              'from laravel/framework 11.21.0 an unset session.secure follows the request scheme (Secure on HTTPS requests)',
              vlabel,
              sec.where.location,
              sec.where.evidence,
            ),
        }
      : newer === false
        ? {
            value: false,
            attr: () =>
              defaultAttr<SecureValue>(
                false,
                'laravel',
                'before laravel/framework 11.21.0 an unset session.secure means not Secure',
                vlabel,
                sec.where.location,
                sec.where.evidence,
              ),
          }
        : {
            value: 'unknown',
            attr: () =>
              unknownAttr<SecureValue>(
                `session.secure is not set and the laravel/framework version is unknown${vlabel ? ` (${vlabel})` : ''}: before 11.21 the session cookie is not Secure, from 11.21 it follows the request scheme`,
                sec.where.location,
                sec.where.evidence,
              ),
          };
  const secure = attrWithDefault<boolean>(
    sec.v,
    (l) => phpTruthy(l),
    ctx,
    sec.where,
    secureDefault,
    secureCollapse,
  );

  const ho = value('http_only');
  const httpOnly = attrWithDefault<boolean>(ho.v, (l) => phpTruthy(l), ctx, ho.where, {
    value: true,
    attr: () =>
      defaultAttr<boolean>(
        true,
        'laravel',
        "StartSession passes $config['http_only'] ?? true",
        vlabel,
        ho.where.location,
        ho.where.evidence,
      ),
  });

  const ss = value('same_site');
  const ssA = attrWithDefault<string>(ss.v, (l) => toIniString(l), ctx, ss.where, {
    value: '',
    attr: () =>
      defaultAttr<string>(
        '',
        'laravel',
        "StartSession passes $config['same_site'] ?? null: no SameSite attribute",
        vlabel,
        ss.where.location,
        ss.where.evidence,
      ),
  });
  const ssRaw = ssA.attr.value;
  const sameSite: Attr<SameSiteValue> & { raw?: string } = {
    ...(ssA.attr as unknown as Attr<SameSiteValue>),
    value: ssRaw === 'unknown' || ssRaw === 'auto' ? 'unknown' : sameSiteOf(ssRaw),
  };
  if (typeof ssRaw === 'string' && ssRaw !== '' && ssRaw !== 'unknown' && ssRaw !== 'auto')
    sameSite.raw = ssRaw;

  // The cookie name and lifetime are descriptive: a template's APP_NAME / SESSION_LIFETIME may name them.
  const described = envFiles(project).filter(
    (e) => e.dir === root && (e.base === '.env' || /^\.env\.[^.]+$/.test(e.base)) && !isTestEnvironment(e),
  );
  const name = cookieName(fromConfig('cookie'), described);
  const obs: CookieObservation = {
    kind: 'cookie',
    source: 'code',
    name,
    secure: secure.attr as Attr<SecureValue>,
    httpOnly: stockDefault(
      'http_only',
      (httpOnly.attr.value === 'auto'
        ? { ...httpOnly.attr, value: 'unknown' }
        : httpOnly.attr) as Attr<boolean>,
    ),
    sameSite: stockDefault('same_site', sameSite),
    lifetime: lifetime(value('expire_on_close'), value('lifetime'), described),
    prefix: prefixOf(name),
    classification: classifyFor(
      name,
      'laravel',
      "Laravel's session middleware (config/session.php 'cookie')",
    ),
    deletion: false,
    setBy: 'server',
    framework: 'laravel',
    location: anchor.location,
    snippet: anchor.evidence,
    inTestCode,
    api: 'session',
  };
  const dom = value('domain');
  const domA = attrWithDefault<string>(dom.v, (l) => toIniString(l), ctx, dom.where, {
    value: '',
    attr: () => explicit<string>('', dom.where.location, dom.where.evidence),
  });
  if (domA.attr.value !== '' && domA.attr.value !== 'auto') obs.domain = domA.attr as Attr<string>;
  const p = value('path');
  if (p.v.kind === 'literal' && typeof p.v.value === 'string')
    obs.path = explicit(p.v.value, p.where.location, p.where.evidence);

  const out: Observation[] = [obs];
  // Judged on the production value (the value of an env-dependent attribute is the production one).
  const followsRequest = secure.attr.value === 'auto';
  if (
    followsRequest &&
    !laravelTrustsProxies(trust, env) &&
    !trustsProxies(m.trustedProxies) &&
    !terminatesTls(project, root)
  ) {
    const o = proxyObservation(
      'laravel',
      name,
      secure.attr.location ?? anchor.location,
      secure.attr.evidence ?? anchor.evidence,
      inTestCode,
      'framework',
      deploymentEvidence(project, root),
    );
    o.evidence +=
      '; configure trusted proxies with ->withMiddleware(fn ($m) => $m->trustProxies(at: ...)) in bootstrap/app.php';
    out.push(o);
  }
  return out;
}

/**
 * Where the application requires laravel/framework: its composer.json line (composer.lock only records
 * what was installed; a finding is never located there).
 */
function manifestLocation(project: ProjectFacts, root: string): CodeLocation | undefined {
  for (const { file, fact } of project.all()) {
    if (fact.type !== 'dependency' || fact.ecosystem !== 'composer' || fact.locked) continue;
    if (fact.name.toLowerCase() !== 'laravel/framework' || dirOf(file.file) !== root) continue;
    if (baseOf(file.file) === 'composer.json') return fact.location;
  }
  return undefined;
}

function stockText(v: PhpValue): string {
  return v.kind === 'env' ? v.expression : JSON.stringify(v.kind === 'literal' ? v.value : null);
}

/** Preferred .env for single-valued facts (the cookie name): production, then .env, then the first. */
function preferredEnv(env: EnvFile[]): EnvFile[] {
  const prod = env.filter((e) => isProductionName(labelOf(e)));
  const dot = env.filter((e) => e.base === '.env');
  const rest = env.filter((e) => !prod.includes(e) && !dot.includes(e) && e.suffix !== 'example');
  const example = env.filter((e) => e.suffix === 'example');
  return [...prod, ...dot, ...rest, ...example];
}

/** The value of a variable in the preferred .env file; REDACTED when that file hides it. */
function envValue(env: EnvFile[], variable: string): string | null {
  for (const e of preferredEnv(env)) {
    const raw = e.variables[variable];
    if (raw === REDACTED) return REDACTED;
    if (raw !== undefined) {
      const v = laravelEnv(raw);
      return v === null ? null : toIniString(v);
    }
  }
  return null;
}

export function cookieName(s: LSetting | undefined, env: EnvFile[]): string {
  const slugDefault = (d: NonNullable<LaravelCookieNameDetail['slugOf']>): string => {
    const app = envValue(env, d.variable) ?? d.default ?? '';
    if (app === REDACTED) return `<${d.variable}>${d.suffix}`;
    return laravelSlug(app, d.separator) + d.suffix;
  };
  if (!s) {
    const fromEnv = envValue(env, 'SESSION_COOKIE');
    if (fromEnv === REDACTED) return '<SESSION_COOKIE>';
    return (
      fromEnv ?? slugDefault({ variable: 'APP_NAME', default: 'laravel', separator: '_', suffix: '_session' })
    );
  }
  const v = s.value;
  if (v.kind === 'literal' && typeof v.value === 'string') return v.value;
  if (v.kind === 'env') {
    const fromEnv = envValue(env, v.variable);
    if (fromEnv === REDACTED) return `<${v.variable}>`;
    if (fromEnv) return fromEnv;
    if (v.default && v.default.kind === 'literal' && typeof v.default.value === 'string')
      return v.default.value;
  }
  if (s.detail.slugOf) return slugDefault(s.detail.slugOf);
  return '<app>_session';
}

function lifetime(
  expireOnClose: { v: PhpValue; where: { location: CodeLocation; evidence: string } },
  minutes: { v: PhpValue },
  env: EnvFile[],
): ReturnType<typeof lifetimeOfSeconds> {
  const scalar = (v: PhpValue): string | number | boolean | null | undefined => {
    if (v.kind === 'literal') return v.value;
    if (v.kind === 'env') {
      const raw = envValue(env, v.variable);
      if (raw === REDACTED) return undefined;
      if (raw !== null) return raw;
      return v.default && v.default.kind === 'literal' ? v.default.value : undefined;
    }
    return undefined;
  };
  const eoc = scalar(expireOnClose.v);
  if (eoc === undefined) return { kind: 'unknown' };
  if (phpTruthy(eoc)) return { kind: 'session' };
  const mins = scalar(minutes.v);
  if (mins === undefined || mins === null) return { kind: 'unknown' };
  const n = Number(mins);
  if (!Number.isFinite(n)) return { kind: 'unknown' };
  const out = lifetimeOfSeconds(n * 60);
  // Persistent because expire_on_close is off: that line decides it.
  if (out.kind === 'persistent') {
    out.location = expireOnClose.where.location;
    out.evidence = expireOnClose.where.evidence;
  }
  return out;
}

/** Laravel trusts a proxy when TrustProxies gets a non-empty `at` / $proxies / trustedproxy.proxies. */
function laravelTrustsProxies(trust: { value: PhpValue }[], env: EnvFile[]): boolean {
  for (const t of trust) {
    const v = t.value;
    if (v.kind === 'literal' && phpTruthy(v.value)) return true;
    if (v.kind === 'array' && (v.entries.length > 0 || v.open)) return true;
    if (v.kind === 'env') {
      if (env.some((e) => (e.variables[v.variable] ?? '') !== '')) return true;
      if (v.default && v.default.kind === 'literal' && phpTruthy(v.default.value)) return true;
    }
    if (v.kind === 'unknown' || v.kind === 'constant' || v.kind === 'conditional') return true; // be conservative: never claim "missing" on doubt
  }
  return false;
}

export const laravelResolver: Resolver = { name: 'laravel', resolve: resolveLaravel };
