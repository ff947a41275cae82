/**
 * Symfony's session cookie, from framework.session in config/packages (per environment), the .env
 * files, php.ini in the repository and the symfony/framework-bundle version.
 *
 * Facts from symfony/symfony (DependencyInjection/Configuration.php, FrameworkExtension.php,
 * HttpKernel/EventListener/AbstractSessionListener.php):
 *  - 7.0+: cookie_secure defaults to 'auto', cookie_samesite to 'lax'; cookie_httponly is true in
 *    every version. Before 7.0 the two have no default (6.4 deprecates leaving them unset): Symfony
 *    then does not touch session.cookie_secure / session.cookie_samesite and php.ini decides.
 *  - 'auto': the native session storage marks the cookie Secure when Request::isSecure(), which
 *    behind a TLS-terminating proxy needs framework.trusted_proxies (7.2+ also SYMFONY_TRUSTED_PROXIES)
 *    or Request::setTrustedProxies() in public/index.php.
 *  - Environment variables: .env, then .env.local, .env.ENV, .env.ENV.local (later wins; .env.local
 *    is skipped in the test environment). `%env(bool:X)%` uses EnvVarProcessor's bool cast.
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
import { prefixOf } from '../common/cookie.js';
import {
  atLeast,
  attrFromEnvironments,
  classifyFor,
  composerVersion,
  defaultAttr,
  deploymentEvidence,
  terminatesTls,
  dirOf,
  envFiles,
  explicit,
  lifetimeOfSeconds,
  REDACTED,
  sameSiteOf,
  unknownAttr,
  versionLabel,
  type EnvFile,
} from './resolve-common.js';
import { secureCollapse } from './interpret.js';
import {
  buildPhpModel,
  decideIniOnly,
  decisionAttr,
  proxyObservation,
  trustsProxies,
  type PhpModel,
} from './resolve-php.js';
import type { SymfonyRememberMe, SymfonySettingDetail, SymfonyValue } from './symfony.js';
import { atoi, iniBool, phpTruthy, symfonyEnvBool, toIniString } from './values.js';

interface SSetting {
  key: string;
  value: SymfonyValue;
  environment: string | null;
  location: CodeLocation;
  evidence: string;
  ff: FileFacts;
}

type V = string | number | boolean | null;

/** Values of a Symfony env var per environment, following Symfony's .env loading order. */
function symfonyEnv(env: EnvFile[], appEnv: string): Record<string, string> {
  const order = [
    '.env.dist',
    '.env',
    ...(appEnv === 'test' ? [] : ['.env.local']),
    `.env.${appEnv}`,
    `.env.${appEnv}.local`,
  ];
  const out: Record<string, string> = {};
  for (const name of order) {
    const f = env.find((e) => e.base === name);
    if (f) Object.assign(out, f.variables);
  }
  return out;
}

function resolveValue(v: SymfonyValue, vars: Record<string, string>): V | 'unknown' {
  if (v.kind === 'literal') return v.value;
  if (v.kind === 'unknown') return 'unknown';
  const raw = vars[v.variable];
  if (raw === REDACTED) return 'unknown';
  let out: V | 'unknown';
  const defaultProc = v.processors.find((p) => p.startsWith('default'));
  if (raw === undefined) {
    if (!defaultProc) return 'unknown';
    out = null;
  } else out = raw;
  for (const p of [...v.processors].reverse()) {
    if (out === null || out === 'unknown') break;
    if (p === 'bool') out = symfonyEnvBool(String(out));
    else if (p === 'not') out = !symfonyEnvBool(String(out));
    else if (p === 'int') out = atoi(String(out));
  }
  return out;
}

/** The application folder of a Symfony config file: the folder above config/packages/ or app/config/. */
function symfonyRootOf(file: string): string {
  for (const marker of ['config/packages/', 'app/config/']) {
    if (file.startsWith(marker)) return '';
    const i = file.indexOf('/' + marker);
    if (i > 0) return file.slice(0, i);
  }
  return dirOf(file);
}

/** Every Symfony application of the tree (each config folder enabling the session), each on its own. */
export function resolveSymfony(project: ProjectFacts): Observation[] {
  const roots = new Set<string>();
  for (const { file, fact } of project.all())
    if (fact.type === 'session-enabled' && fact.framework === 'symfony') roots.add(symfonyRootOf(file.file));
  return [...roots].sort().flatMap((root) => resolveSymfonyApp(project, root));
}

function resolveSymfonyApp(project: ProjectFacts, root: string): Observation[] {
  const settings: SSetting[] = [];
  const enabled: { location: CodeLocation; evidence: string; environment: string | null; ff: FileFacts }[] =
    [];
  const disabled = new Set<string | null>();
  const trusted: { value: SymfonyValue; environment: string | null; location: CodeLocation }[] = [];
  const rememberMe: { data: SymfonyRememberMe; location: CodeLocation; evidence: string; ff: FileFacts }[] =
    [];
  for (const { file, fact } of project.all()) {
    if (fact.type !== 'dependency' && fact.type !== 'env-file' && 'framework' in fact) {
      if (fact.framework === 'symfony' && symfonyRootOf(file.file) !== root) continue;
    }
    if (fact.type === 'setting' && fact.framework === 'symfony') {
      settings.push({
        key: fact.key.replace(/^session\./, ''),
        value: (fact.detail as SymfonySettingDetail | undefined)?.value ?? {
          kind: 'unknown',
          expression: fact.evidence,
          reason: 'no detail',
        },
        environment: fact.scope?.environment ?? null,
        location: fact.location,
        evidence: fact.evidence,
        ff: file,
      });
    } else if (fact.type === 'session-enabled' && fact.framework === 'symfony') {
      const g = fact.guard?.test;
      enabled.push({
        location: fact.location,
        evidence: fact.evidence,
        environment: g && g.op === 'eq' ? g.value : null,
        ff: file,
      });
    } else if (fact.type === 'other' && fact.framework === 'symfony') {
      const d = fact.data as { value?: SymfonyValue; environment?: string | null };
      if (fact.key === 'session-disabled') disabled.add(d.environment ?? null);
      if (fact.key === 'trusted-proxies' && d.value)
        trusted.push({ value: d.value, environment: d.environment ?? null, location: fact.location });
      if (fact.key === 'remember-me')
        rememberMe.push({
          data: fact.data as SymfonyRememberMe,
          location: fact.location,
          evidence: fact.evidence,
          ff: file,
        });
    }
  }
  if (enabled.length === 0) return [];
  enabled.sort((a, b) => (a.environment === null ? -1 : 0) - (b.environment === null ? -1 : 0));
  const anchor = enabled[0]!;
  const version =
    composerVersion(project, 'symfony/framework-bundle', root) ??
    composerVersion(project, 'symfony/framework-bundle');
  const vlabel = versionLabel(version);
  const v7 = atLeast(version, '7.0.0');
  const env = envFiles(project).filter((e) => e.dir === root);
  const m = buildPhpModel(project);

  // Environments to report: prod and dev, and any environment the config names.
  const envNames = new Set<string>(['prod', 'dev']);
  for (const s of settings) if (s.environment) envNames.add(s.environment);
  for (const e of enabled) if (e.environment) envNames.add(e.environment);
  const activeEnvs = [...envNames].filter((e) => {
    if (disabled.has(e)) return false;
    if (disabled.has(null) && !enabled.some((x) => x.environment === e)) return false;
    return enabled.some((x) => x.environment === null || x.environment === e);
  });
  if (activeEnvs.length === 0) return [];
  // The test environment normally uses mock session storage: report it only when it sets cookie options.
  const reportEnvs = activeEnvs.filter(
    (e) => e !== 'test' || settings.some((s) => s.environment === 'test' && s.key.startsWith('cookie_')),
  );

  const settingFor = (key: string, appEnv: string): SSetting | undefined => {
    const own = settings.filter((s) => s.key === key && s.environment === appEnv);
    if (own.length) return own[own.length - 1];
    const base = settings.filter((s) => s.key === key && s.environment === null);
    return base[base.length - 1];
  };

  const perEnvAttr = <T>(
    key: string,
    convert: (v: V) => T | 'unknown' | null,
    dflt: (where: { location: CodeLocation; evidence: string }) => Attr<T | 'auto'>,
    collapse?: (entries: { label: string; value: T | 'auto' | 'unknown' }[]) => T | 'auto' | null,
  ): Attr<T | 'auto'> => {
    const usedEnvFiles = new Set<string>();
    const rows = reportEnvs.map((appEnv) => {
      const s = settingFor(key, appEnv);
      if (!s) return { appEnv, s, value: null as T | 'auto' | 'unknown' | null };
      const raw = resolveValue(s.value, symfonyEnv(env, appEnv));
      if (s.value.kind === 'env')
        for (const f of symfonyEnvFiles(env, appEnv, s.value.variable)) usedEnvFiles.add(f);
      const value =
        raw === 'unknown' ? 'unknown' : raw === null ? null : (convert(raw) as T | 'auto' | 'unknown' | null);
      return { appEnv, s, value };
    });
    const anyS = rows.find((r) => r.s)?.s;
    const where = anyS
      ? { location: anyS.location, evidence: anyS.evidence }
      : { location: anchor.location, evidence: anchor.evidence };
    if (rows.every((r) => !r.s)) return dflt(where);
    const defaultAttrValue = dflt(where);
    const perEnv = rows.map((r) => {
      const e: { label: string; value: T | 'auto' | 'unknown'; file?: string; fromDefault: boolean } = {
        label: r.appEnv,
        value: r.value === null ? defaultAttrValue.value : r.value,
        fromDefault: !r.s,
      };
      if (r.s) e.file = r.s.ff.file;
      return e;
    });
    const first = perEnv[0]!;
    if (
      perEnv.every((e) => e.value === first.value) &&
      rows.every((r) => r.s && r.s.location === rows[0]!.s?.location)
    ) {
      if (first.value === 'unknown') {
        const s = rows[0]!.s!;
        return unknownAttr<T | 'auto'>(
          s.value.kind === 'env'
            ? `${s.value.expression}: ${s.value.variable} is not set in any .env file`
            : `${s.evidence} could not be resolved`,
          s.location,
          s.evidence,
        );
      }
      if (rows[0]!.value === null) return dflt(where);
      return explicit<T | 'auto'>(first.value, where.location, envNote(rows[0]!.s!));
    }
    const condition = rows.some((r) => r.s?.environment)
      ? 'APP_ENV (when@ENV / config/packages/ENV)'
      : 'APP_ENV and .env values';
    const a = attrFromEnvironments<T | 'auto'>(
      { perEnv: perEnv.map((e) => ({ ...e, fromDefault: false })) },
      {
        condition,
        location: where.location,
        evidence: where.evidence,
        whenUnset: () => dflt(where),
        collapse,
      },
    );
    if (a.provenance.kind === 'env-dependent' && usedEnvFiles.size) {
      a.provenance.resolvedFrom = [...new Set([...(a.provenance.resolvedFrom ?? []), ...usedEnvFiles])];
    }
    return a;
  };

  const iniFallback =
    <T>(key: string, note: string, conv: (s: string) => T, phpDefault: T) =>
    (where: { location: CodeLocation; evidence: string }): Attr<T | 'auto'> => {
      const d = decisionAttr<T>(
        m,
        decideIniOnly(m, key, root),
        () => (l) => conv(toIniString(l)),
        phpDefault,
        note,
      );
      if (d.isDefault)
        return defaultAttr<T | 'auto'>(phpDefault, 'symfony', note, vlabel, where.location, where.evidence);
      return d.attr;
    };

  // cookie_secure
  const secureDefault =
    v7 === true
      ? (w: { location: CodeLocation; evidence: string }) =>
          defaultAttr<SecureValue>(
            'auto',
            'symfony',
            'framework.session.cookie_secure defaults to auto since Symfony 7.0',
            vlabel,
            w.location,
            w.evidence,
          )
      : v7 === false
        ? iniFallback<boolean>(
            'session.cookie_secure',
            'framework.session.cookie_secure is not set: before Symfony 7.0 php.ini decides (PHP default session.cookie_secure = 0)',
            (s) => iniBool(s),
            false,
          )
        : (w: { location: CodeLocation; evidence: string }) =>
            unknownAttr<SecureValue>(
              `framework.session.cookie_secure is not set and the symfony/framework-bundle version is unknown${vlabel ? ` (${vlabel})` : ''}: 7.0+ defaults to auto, older versions leave it to php.ini (default off)`,
              w.location,
              w.evidence,
            );
  const secure = perEnvAttr<boolean>(
    'cookie_secure',
    (v) =>
      v === 'auto' ? ('auto' as unknown as boolean) : typeof v === 'boolean' ? v : iniBool(toIniString(v)),
    secureDefault,
    secureCollapse,
  ) as Attr<SecureValue>;

  const httpOnly = perEnvAttr<boolean>(
    'cookie_httponly',
    (v) => (typeof v === 'boolean' ? v : phpTruthy(v)),
    (w) =>
      defaultAttr<boolean>(
        true,
        'symfony',
        'framework.session.cookie_httponly defaults to true',
        vlabel,
        w.location,
        w.evidence,
      ),
  );

  const ssDefault =
    v7 === true
      ? (w: { location: CodeLocation; evidence: string }) =>
          defaultAttr<string>(
            'lax',
            'symfony',
            'framework.session.cookie_samesite defaults to lax since Symfony 7.0',
            vlabel,
            w.location,
            w.evidence,
          )
      : v7 === false
        ? iniFallback<string>(
            'session.cookie_samesite',
            'framework.session.cookie_samesite is not set: before Symfony 7.0 php.ini decides (PHP default: none sent)',
            (s) => s,
            '',
          )
        : (w: { location: CodeLocation; evidence: string }) =>
            unknownAttr<string>(
              'framework.session.cookie_samesite is not set and the Symfony version is unknown',
              w.location,
              w.evidence,
            );
  const ssA = perEnvAttr<string>('cookie_samesite', (v) => toIniString(v), ssDefault);
  const ssRaw = ssA.value;
  const sameSite: Attr<SameSiteValue> & { raw?: string } = {
    ...(ssA as unknown as Attr<SameSiteValue>),
    value: ssRaw === 'unknown' || ssRaw === 'auto' ? 'unknown' : sameSiteOf(ssRaw),
  };
  if (typeof ssRaw === 'string' && ssRaw && ssRaw !== 'unknown' && ssRaw !== 'auto') sameSite.raw = ssRaw;

  const nameA = perEnvAttr<string>(
    'name',
    (v) => toIniString(v),
    iniFallback<string>('session.name', 'PHP default session.name', (s) => s, 'PHPSESSID'),
  );
  const name =
    typeof nameA.value === 'string' && nameA.value !== 'unknown' && nameA.value !== 'auto' && nameA.value
      ? nameA.value
      : 'PHPSESSID';

  const lifeA = perEnvAttr<number>(
    'cookie_lifetime',
    (v) => atoi(toIniString(v)),
    iniFallback<number>('session.cookie_lifetime', 'PHP default', (s) => atoi(s), 0),
  );
  const obs: CookieObservation = {
    kind: 'cookie',
    source: 'code',
    name,
    secure,
    httpOnly: (httpOnly.value === 'auto' ? { ...httpOnly, value: 'unknown' } : httpOnly) as Attr<boolean>,
    sameSite,
    lifetime: typeof lifeA.value === 'number' ? lifetimeOfSeconds(lifeA.value) : { kind: 'unknown' },
    prefix: prefixOf(name),
    classification: classifyFor(name, 'symfony', "Symfony's session (framework.session)"),
    deletion: false,
    setBy: 'server',
    framework: 'symfony',
    location: secure.location ?? anchor.location,
    snippet: secure.evidence ?? anchor.evidence,
    inTestCode: anchor.ff.inTestCode,
    api: 'session',
  };
  const dom = perEnvAttr<string>(
    'cookie_domain',
    (v) => toIniString(v),
    iniFallback<string>('session.cookie_domain', 'PHP default', (s) => s, ''),
  );
  if (dom.value !== '' && dom.value !== 'auto' && dom.provenance.kind !== 'framework-default')
    obs.domain = dom as Attr<string>;

  const out: Observation[] = [obs];
  // Judged on the production value (the value of an env-dependent attribute is the prod one).
  if (
    secure.value === 'auto' &&
    !symfonyTrustsProxies(trusted, env, m, atLeast(version, '7.2.0'), root) &&
    !terminatesTls(project, root)
  ) {
    // Where proxy trust is configured (to something that trusts nobody here), else where Secure is decided.
    const where = trusted.find((t) => t.environment === null || t.environment === 'prod');
    const o = proxyObservation(
      'symfony',
      name,
      where?.location ?? secure.location ?? anchor.location,
      where ? lineAt(project, where.location) : (secure.evidence ?? anchor.evidence),
      anchor.ff.inTestCode,
      'framework',
      deploymentEvidence(project, root),
    );
    o.evidence += '; set framework.trusted_proxies (and trusted_headers) for the proxy in front of the app';
    out.push(o);
  }
  out.push(...rememberMeObservations(rememberMe, reportEnvs, settings, env, vlabel, root));
  return out;
}

/** The evidence text of a fact at a location (the YAML line as the extractor recorded it). */
function lineAt(project: ProjectFacts, l: CodeLocation): string {
  for (const { fact } of project.all())
    if ('evidence' in fact && fact.location.file === l.file && fact.location.line === l.line)
      return fact.evidence;
  return `${l.file}:${l.line}`;
}

/**
 * The remember-me cookie of each firewall (security.firewalls.X.remember_me; SecurityBundle
 * RememberMeFactory, checked on the 5.4 to 7.x branches): name REMEMBERME, HttpOnly, one year, and
 * Secure / SameSite from the options or, when not written there, from RememberMeFactory::prepend():
 * framework.session.cookie_secure / cookie_samesite only when framework.session is configured as an
 * array with that key, else Secure false and no SameSite (`session: true` does not pass them on).
 */
function rememberMeObservations(
  rememberMe: { data: SymfonyRememberMe; location: CodeLocation; evidence: string; ff: FileFacts }[],
  reportEnvs: string[],
  settings: SSetting[],
  env: EnvFile[],
  vlabel: string | undefined,
  root: string,
): Observation[] {
  const out: Observation[] = [];
  const inRoot = (f: string): boolean => root === '' || f.startsWith(root + '/');
  const firewalls = [...new Set(rememberMe.filter((r) => inRoot(r.ff.file)).map((r) => r.data.firewall))];
  for (const firewall of firewalls) {
    const configs = rememberMe.filter((r) => r.data.firewall === firewall && inRoot(r.ff.file));
    const forEnv = (appEnv: string) =>
      configs.find((r) => r.data.environment === appEnv) ?? configs.find((r) => r.data.environment === null);
    const envs = reportEnvs.filter((e) => forEnv(e));
    if (envs.length === 0) continue;
    const rep = forEnv(envs.includes('prod') ? 'prod' : envs[0]!)!;
    const inherited = (key: string, appEnv: string): SSetting | undefined => {
      const own = settings.filter((s) => s.key === key && s.environment === appEnv);
      if (own.length) return own[own.length - 1];
      const base = settings.filter((s) => s.key === key && s.environment === null);
      return base[base.length - 1];
    };
    const rows = envs.map((appEnv) => {
      const r = forEnv(appEnv)!;
      const vars = symfonyEnv(env, appEnv);
      const explicitSecure = r.data.options['secure'];
      const from = explicitSecure ? null : inherited('cookie_secure', appEnv);
      const raw = explicitSecure
        ? resolveValue(explicitSecure, vars)
        : from
          ? resolveValue(from.value, vars)
          : false;
      const value: SecureValue | 'unknown' =
        raw === 'unknown'
          ? 'unknown'
          : raw === 'auto' || raw === null
            ? 'auto'
            : typeof raw === 'boolean'
              ? raw
              : iniBool(toIniString(raw));
      const where = explicitSecure
        ? { location: r.data.sites['secure'] ?? r.location, evidence: r.evidence }
        : from
          ? { location: from.location, evidence: `${from.evidence} (inherited by the remember-me cookie)` }
          : null;
      return { appEnv, r, value, where };
    });
    const first = rows[0]!;
    let secure: Attr<SecureValue>;
    if (rows.every((x) => x.value === first.value)) {
      secure = first.where
        ? { value: first.value, provenance: { kind: 'explicit' }, ...first.where }
        : defaultAttr<SecureValue>(
            false,
            'symfony',
            'the remember-me cookie is Secure only when remember_me.secure is set, or framework.session is configured as an array with cookie_secure (RememberMeFactory::prepend); otherwise secure is false',
            vlabel,
            rep.location,
            rep.evidence,
          );
    } else {
      secure = attrFromEnvironments<SecureValue>(
        { perEnv: rows.map((x) => ({ label: x.appEnv, value: x.value, fromDefault: false })) },
        {
          condition: 'APP_ENV (when@ENV / config/packages/ENV)',
          location: rep.location,
          evidence: rep.evidence,
          whenUnset: () => unknownAttr<SecureValue>('not set', rep.location, rep.evidence),
          collapse: secureCollapse,
        },
      );
    }
    const lit = (k: string): string | number | boolean | null | undefined => {
      const v = rep.data.options[k];
      return v && v.kind === 'literal' ? v.value : undefined;
    };
    const name = typeof lit('name') === 'string' ? String(lit('name')) : 'REMEMBERME';
    const httpOnlyRaw = lit('httponly');
    const sameSiteOpt = rep.data.options['samesite'];
    const inheritedSameSite = sameSiteOpt
      ? undefined
      : inherited('cookie_samesite', envs.includes('prod') ? 'prod' : envs[0]!);
    const ssFrom = sameSiteOpt
      ? { value: sameSiteOpt, location: rep.data.sites['samesite'] ?? rep.location }
      : inheritedSameSite
        ? { value: inheritedSameSite.value, location: inheritedSameSite.location }
        : null;
    const sameSite: Attr<SameSiteValue> = !ssFrom
      ? defaultAttr<SameSiteValue>(
          'unset',
          'symfony',
          'no SameSite: remember_me.samesite is not set and not inherited from framework.session',
          vlabel,
          rep.location,
          rep.evidence,
        )
      : ssFrom.value.kind === 'literal'
        ? explicit<SameSiteValue>(
            sameSiteOf(ssFrom.value.value === null ? null : String(ssFrom.value.value)),
            ssFrom.location,
            rep.evidence,
          )
        : unknownAttr<SameSiteValue>(
            `${ssFrom.value.expression} is not resolved`,
            ssFrom.location,
            rep.evidence,
          );
    const lifetime = lit('lifetime');
    const obs: CookieObservation = {
      kind: 'cookie',
      source: 'code',
      name,
      secure,
      httpOnly:
        httpOnlyRaw === undefined
          ? defaultAttr<boolean>(
              true,
              'symfony',
              'remember_me.httponly defaults to true',
              vlabel,
              rep.location,
              rep.evidence,
            )
          : explicit<boolean>(phpTruthy(httpOnlyRaw), rep.data.sites['httponly'], rep.evidence),
      sameSite,
      lifetime: lifetimeOfSeconds(typeof lifetime === 'number' ? lifetime : 31536000),
      prefix: prefixOf(name),
      classification: classifyFor(
        name,
        'symfony',
        `the remember-me feature of the ${firewall} firewall (security.yaml)`,
      ),
      deletion: false,
      setBy: 'server',
      framework: 'symfony',
      location: rep.location,
      snippet: rep.evidence,
      inTestCode: rep.ff.inTestCode,
      api: 'remember_me',
    };
    out.push(obs);
  }
  return out;
}

/** The .env files (Symfony order) that define `variable` for an environment. */
function symfonyEnvFiles(env: EnvFile[], appEnv: string, variable: string): string[] {
  const order = [
    '.env.dist',
    '.env',
    ...(appEnv === 'test' ? [] : ['.env.local']),
    `.env.${appEnv}`,
    `.env.${appEnv}.local`,
  ];
  return order
    .map((n) => env.find((e) => e.base === n))
    .filter((e): e is EnvFile => !!e && e.variables[variable] !== undefined)
    .map((e) => e.file);
}

function envNote(s: SSetting): string {
  return s.environment ? `${s.evidence} (${s.environment} environment)` : s.evidence;
}

function symfonyTrustsProxies(
  trusted: { value: SymfonyValue; environment: string | null }[],
  env: EnvFile[],
  m: PhpModel,
  v72: boolean | null,
  root: string,
): boolean {
  if (trustsProxies(m.trustedProxies.filter((t) => root === '' || t.location.file.startsWith(root + '/'))))
    return true;
  for (const t of trusted) {
    if (t.environment && t.environment !== 'prod') continue;
    const v = t.value;
    if (v.kind === 'literal' && v.value !== null && v.value !== '' && v.value !== false) return true;
    if (v.kind === 'env' && env.some((e) => (e.variables[v.variable] ?? '') !== '')) return true;
    if (v.kind === 'unknown') return true; // a container parameter: do not claim it is missing
  }
  if (v72 !== false && env.some((e) => (e.variables['SYMFONY_TRUSTED_PROXIES'] ?? '') !== '')) return true;
  return false;
}

export const symfonyResolver: Resolver = { name: 'symfony', resolve: resolveSymfony };
