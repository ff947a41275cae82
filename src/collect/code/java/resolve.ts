/**
 * The Java resolver: per application (the folder of a pom.xml / build.gradle, else the whole tree)
 * the servlet container's session cookie (JSESSIONID) from Spring Boot properties per profile,
 * web.xml, Tomcat context.xml and programmatic SessionCookieConfig calls, over the container's
 * defaults (defaults.ts); the cookies the code writes itself (code.ts); `session-id-in-url` for an
 * explicit URL tracking mode; `proxy-trust` when Secure follows the request and nothing makes the
 * container trust X-Forwarded-Proto while the repository shows a TLS-terminating proxy.
 *
 * Spring profiles: `application-{p}.*` (and profile documents) override the base file in profile p.
 * The environments compared are the profiles that set a value plus `default` (no profile active,
 * or the base file's spring.profiles.active); a value that differs between them is env-dependent.
 */
import { classifyCookie } from '../../../cookies/classify.js';
import type {
  Attr,
  CodeLocation,
  CookieLifetime,
  CookieObservation,
  Observation,
  Provenance,
  SameSiteValue,
  SecureValue,
} from '../../../model/observation.js';
import { persistentLifetime, prefixOf, sameSiteKeyword } from '../common/cookie.js';
import { proxyInFront } from '../common/deploy.js';
import { describeValue } from '../common/values.js';
import type { FileFacts, ProjectFacts, Resolver, SettingValue } from '../types.js';
import { JAVA_COOKIE_FACT, type JavaCookieData } from './code.js';
import {
  CONTAINER_HTTPONLY,
  CONTAINER_LABEL,
  CONTAINER_VERSIONS,
  SESSION_COOKIE_NAME,
  type Container,
} from './defaults.js';
import {
  JAVA_FACT,
  javaFactsOf,
  type JavaBuildData,
  type JavaSessionUse,
  type JavaSetting,
} from './facts.js';

/** Spring Boot apps get Spring's advice, other servlet apps the container's (web.xml, context.xml). */
type JavaFramework = 'spring' | 'servlet';
const BUILD_FILE = /(^|\/)(pom\.xml|build\.gradle(\.kts)?)$/;
/** Where the sources of a Maven / Gradle module start: an app root without a build file. */
const SOURCE_ROOT = /\/src\/(main|test)\/.*$/;

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

/** The application a file belongs to: its nearest folder holding a build file, else its module, else the tree. */
function appRootFinder(project: ProjectFacts): (file: string) => string {
  const roots = new Set<string>();
  for (const p of project.paths ?? project.files.map((f) => f.file))
    if (BUILD_FILE.test(p)) roots.add(dirOf(p));
  const sorted = [...roots].sort((a, b) => b.length - a.length);
  return (file: string) => {
    for (const r of sorted) if (r === '' || file.startsWith(`${r}/`)) return r;
    const m = SOURCE_ROOT.exec(`/${file}`);
    return m ? `/${file}`.slice(0, m.index).slice(1) : '';
  };
}

interface App {
  root: string;
  settings: { file: FileFacts; data: JavaSetting }[];
  sessions: { file: FileFacts; data: JavaSessionUse }[];
  builds: { file: FileFacts; data: JavaBuildData }[];
}

function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return /^true$/i.test(v.trim());
  return undefined;
}

function toSameSite(v: unknown): SameSiteValue | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '' || s.toLowerCase() === 'unset') return 'unset';
  return sameSiteKeyword(s);
}

/** Spring Duration / web.xml seconds: `3600`, `30m`, `1h`, `7d`, `PT1H`. */
function toSeconds(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  const m = /^(-?\d+)\s*(ms|s|m|h|d)?$/i.exec(t);
  if (m) {
    const n = Number(m[1]);
    const unit = (m[2] ?? 's').toLowerCase();
    return unit === 'ms' ? Math.floor(n / 1000) : n * ({ s: 1, m: 60, h: 3600, d: 86400 }[unit] ?? 1);
  }
  const iso = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/i.exec(t);
  if (iso) return Number(iso[1] ?? 0) * 3600 + Number(iso[2] ?? 0) * 60 + Number(iso[3] ?? 0);
  return undefined;
}

/** A value per environment: the setting that decides it there (undefined: the default applies). */
interface Decided {
  env: string;
  setting: { file: FileFacts; data: JavaSetting } | undefined;
}

/** Precedence: programmatic SessionCookieConfig, then Spring profile, Spring base, web.xml, context.xml. */
function decide(app: App, key: string, envs: string[]): Decided[] {
  const of = (pred: (s: JavaSetting) => boolean) => {
    const list = app.settings.filter((s) => s.data.key === key && pred(s.data));
    return list[list.length - 1];
  };
  const code = of((s) => s.via === 'servlet-api');
  const base = of((s) => s.via === 'spring-properties' && s.profile === '');
  const xml = of((s) => s.via === 'web.xml');
  const ctx = of((s) => s.via === 'context.xml');
  return envs.map((env) => {
    const prof = env === '' ? undefined : of((s) => s.via === 'spring-properties' && s.profile === env);
    return { env, setting: code ?? prof ?? base ?? xml ?? ctx };
  });
}

interface Resolved<T> {
  attr: Attr<T>;
}

const CONDITION = 'the active Spring profile (spring.profiles.active)';

/**
 * An attribute from the settings that decide it in each environment: explicit when one setting
 * decides everywhere, the default when none does, env-dependent otherwise.
 */
function attrOf<T>(
  decided: Decided[],
  convert: (v: unknown) => T | undefined,
  dflt: { value: T | 'unknown'; provenance: Provenance; location: CodeLocation; evidence: string },
  envLabel: (env: string) => string,
): Resolved<T> {
  const valueOf = (s: JavaSetting): T | 'unknown' | { env: string; dflt: unknown } => {
    const v: SettingValue = s.value;
    if (v.kind === 'literal') return convert(v.value) ?? 'unknown';
    if (v.kind === 'env') return { env: v.variable, dflt: v.default };
    return 'unknown';
  };
  const distinct = [...new Set(decided.map((d) => d.setting))];
  if (distinct.length === 1) {
    const s = distinct[0];
    if (!s) return { attr: { ...dflt } };
    const val = valueOf(s.data);
    const site = { location: s.data.location, evidence: s.data.evidence };
    if (typeof val === 'object' && val !== null && 'env' in val) {
      const d = val.dflt === undefined ? undefined : convert(val.dflt);
      return {
        attr: {
          value: 'unknown',
          provenance: {
            kind: 'env-dependent',
            condition: `environment variable ${val.env} (${describeValue(s.data.value)})`,
            perEnvironment: d === undefined ? {} : { [`${val.env} unset`]: d },
          },
          ...site,
        },
      };
    }
    if (val === 'unknown')
      return {
        attr: {
          value: 'unknown',
          provenance: {
            kind: 'unknown',
            reason: `${describeValue(s.data.value)} is not a value the scanner can read`,
          },
          ...site,
        },
      };
    return { attr: { value: val as T, provenance: { kind: 'explicit' }, ...site } };
  }
  const perEnvironment: Record<string, unknown> = {};
  const resolvedFrom = new Set<string>();
  let site: { location: CodeLocation; evidence: string } | undefined;
  for (const d of decided) {
    if (!d.setting) {
      perEnvironment[envLabel(d.env)] = dflt.value;
      continue;
    }
    resolvedFrom.add(d.setting.file.file);
    const val = valueOf(d.setting.data);
    perEnvironment[envLabel(d.env)] =
      typeof val === 'object' && val !== null && 'env' in val ? 'unknown' : val;
    // Point at the base setting when there is one (what applies without a profile), else the first override.
    if (!site || d.env === '')
      site = { location: d.setting.data.location, evidence: d.setting.data.evidence };
  }
  return {
    attr: {
      value: 'unknown',
      provenance: {
        kind: 'env-dependent',
        condition: CONDITION,
        perEnvironment,
        resolvedFrom: [...resolvedFrom].sort(),
      },
      ...(site ?? { location: dflt.location, evidence: dflt.evidence }),
    },
  };
}

function lifetimeOf(attr: Attr<number>): CookieLifetime {
  if (attr.value === 'unknown')
    return attr.provenance.kind === 'framework-default' ? { kind: 'session' } : { kind: 'unknown' };
  if (attr.value < 0) return { kind: 'session' };
  return persistentLifetime(attr.value, {
    ...(attr.location ? { location: attr.location } : {}),
    ...(attr.evidence ? { evidence: attr.evidence } : {}),
  });
}

/** A Spring Boot app: a build file uses Spring Boot, or Spring Boot properties configure it. */
function isSpringBoot(app: App): boolean {
  return (
    app.builds.some((b) => b.data.springBootPresent) ||
    app.settings.some((s) => s.data.via === 'spring-properties')
  );
}

function sessionObservations(project: ProjectFacts, app: App): Observation[] {
  const springProps = app.settings.filter((s) => s.data.via === 'spring-properties');
  const build = app.builds.find((b) => b.data.springBoot !== null) ?? app.builds[0];
  const springBoot = build?.data.springBoot ?? null;
  const springApp = isSpringBoot(app);
  const cookieKeys = app.settings.filter(
    (s) =>
      s.data.key !== 'profiles-active' &&
      s.data.key !== 'forward-headers-strategy' &&
      s.data.key !== 'use-forward-headers',
  );
  const usesSession =
    app.sessions.length > 0 || cookieKeys.length > 0 || app.builds.some((b) => b.data.springSecurity);
  if (!usesSession) return [];

  let container: Container | null = app.builds.map((b) => b.data.container).find((c) => c !== null) ?? null;
  if (!container && app.settings.some((s) => s.data.via === 'context.xml')) container = 'tomcat';
  if (!container && springApp) container = 'tomcat'; // spring-boot-starter-web embeds Tomcat

  // Where the session is configured / used, for defaults and the cookie's location.
  const anchor =
    cookieKeys.find((s) => s.data.key === 'secure') ??
    app.sessions.find((s) => !s.file.inTestCode) ??
    app.sessions[0] ??
    cookieKeys[0] ??
    (build
      ? { file: build.file, data: { location: build.data.location, evidence: build.data.evidence } }
      : undefined);
  if (!anchor) return [];
  const at = { location: anchor.data.location, evidence: anchor.data.evidence };
  const inTestCode =
    (app.sessions.length === 0 || app.sessions.every((s) => s.file.inTestCode)) &&
    (cookieKeys.length === 0 || cookieKeys.every((s) => s.file.inTestCode));

  // Environments: the Spring profiles that set something, and the profile-less default.
  const profiles = [...new Set(springProps.map((s) => s.data.profile).filter((p) => p !== ''))].sort();
  const active = decide(app, 'profiles-active', [''])[0]?.setting;
  const activeName =
    active && active.data.value.kind === 'literal' && typeof active.data.value.value === 'string'
      ? active.data.value.value.split(',')[0]!.trim()
      : null;
  // `default` runs the base file plus the profile it activates.
  const envs = ['', ...profiles];
  const decideIn = (key: string): Decided[] =>
    decide(app, key, envs).map((d, i) =>
      i === 0 && activeName && profiles.includes(activeName)
        ? { env: '', setting: decide(app, key, [activeName])[0]!.setting }
        : d,
    );
  const envLabel = (env: string) => (env === '' ? (activeName ? `default (${activeName})` : 'default') : env);

  const FRAMEWORK: JavaFramework = springApp ? 'spring' : 'servlet';
  const cLabel = container ? CONTAINER_LABEL[container] : 'the servlet container';
  const viaBoot = springApp
    ? `; Spring Boot${springBoot ? ` ${springBoot}` : ''} leaves it to the container`
    : '';
  // The default is the container's: name it (Tomcat 7+, Jetty 9.4) rather than Spring Boot.
  const fwDefault = (note: string): Provenance => ({
    kind: 'framework-default',
    framework: container ?? FRAMEWORK,
    ...(container ? { version: CONTAINER_VERSIONS[container] } : springBoot ? { version: springBoot } : {}),
    note: `${note}${viaBoot}`,
  });

  const secure = attrOf<SecureValue>(
    decideIn('secure'),
    toBool,
    {
      value: 'auto',
      provenance: fwDefault(`${cLabel} marks the session cookie Secure only when the request is HTTPS`),
      ...at,
    },
    envLabel,
  ).attr;
  const containerHttpOnly = container ? CONTAINER_HTTPONLY[container] : null;
  const httpOnly = attrOf<boolean>(
    decideIn('http-only'),
    toBool,
    {
      value: containerHttpOnly ?? 'unknown',
      provenance:
        containerHttpOnly === null
          ? {
              kind: 'unknown',
              reason: container
                ? `the default of ${cLabel} is not known to the scanner`
                : 'the servlet container is not named in the build (Tomcat: HttpOnly by default; Jetty 9.4: not)',
            }
          : fwDefault(`${cLabel}'s session cookie is ${containerHttpOnly ? '' : 'not '}HttpOnly by default`),
      ...at,
    },
    envLabel,
  ).attr;
  const ss = attrOf<SameSiteValue>(
    decideIn('same-site'),
    toSameSite,
    {
      value: 'unset',
      provenance: fwDefault(`${cLabel} sends no SameSite on the session cookie by default`),
      ...at,
    },
    envLabel,
  ).attr;
  const nameDecided = decideIn('name');
  const nameSetting = nameDecided[0]?.setting;
  const name =
    nameSetting &&
    nameSetting.data.value.kind === 'literal' &&
    typeof nameSetting.data.value.value === 'string'
      ? nameSetting.data.value.value
      : SESSION_COOKIE_NAME;
  const maxAge = attrOf<number>(
    decideIn('max-age'),
    toSeconds,
    {
      value: 'unknown',
      provenance: fwDefault('no Max-Age: a browser-session cookie'),
      ...at,
    },
    envLabel,
  ).attr;
  const domainDecided = decideIn('domain');
  const domain = domainDecided.some((d) => d.setting)
    ? attrOf<string>(
        domainDecided,
        (v) => (typeof v === 'string' ? v : undefined),
        {
          value: 'unknown',
          provenance: { kind: 'unknown', reason: 'no domain' },
          ...at,
        },
        envLabel,
      ).attr
    : undefined;

  const o: CookieObservation = {
    kind: 'cookie',
    source: 'code',
    name,
    secure,
    httpOnly,
    sameSite: {
      ...ss,
      ...(ss.value !== 'unknown' && ss.provenance.kind === 'explicit' ? { raw: String(ss.value) } : {}),
    },
    lifetime: lifetimeOf(maxAge),
    prefix: prefixOf(name),
    classification: classifyCookie(name, undefined, { framework: FRAMEWORK, setBy: 'server' }),
    deletion: false,
    setBy: 'server',
    framework: FRAMEWORK,
    location: secure.location ?? at.location,
    snippet: secure.evidence ?? at.evidence,
    inTestCode,
    ...(app.root ? { app: app.root } : {}),
  };
  if (o.classification.category !== 'session')
    o.classification = {
      ...o.classification,
      category: 'session',
      reason: `the servlet container's session cookie (${name})`,
    };
  if (domain) o.domain = domain;
  const out: Observation[] = [o];

  // URL session tracking: the session id travels in URLs (;jsessionid=...).
  for (const d of decideIn('tracking-modes')) {
    const s = d.setting;
    if (!s || s.data.value.kind !== 'literal') continue;
    const modes = String(s.data.value.value)
      .toLowerCase()
      .split(/[\s,[\]]+/);
    if (!modes.includes('url')) continue;
    out.push({
      kind: 'session-id-in-url',
      source: 'code',
      url: '',
      where: 'config',
      parameter: 'jsessionid',
      location: s.data.location,
      evidence: s.data.evidence,
      framework: FRAMEWORK,
    });
    break;
  }

  // Secure follows the request: behind a TLS-terminating proxy the container must trust X-Forwarded-Proto.
  const followsRequest =
    secure.value === 'auto' ||
    (secure.provenance.kind === 'env-dependent' &&
      Object.values(secure.provenance.perEnvironment).includes('auto'));
  if (followsRequest && !inTestCode) {
    const strategy = decideIn('forward-headers-strategy')[0]?.setting;
    const legacy = decideIn('use-forward-headers')[0]?.setting;
    const trusts =
      (strategy?.data.value.kind === 'literal' &&
        /^(native|framework)$/i.test(String(strategy.data.value.value))) ||
      (legacy?.data.value.kind === 'literal' && toBool(legacy.data.value.value) === true);
    const unknownStrategy = strategy !== undefined && strategy.data.value.kind !== 'literal';
    const where = (f: string) => app.root === '' || f.startsWith(`${app.root}/`) || !f.includes('/');
    const proxy = proxyInFront(project, 'java', where);
    if (!trusts && !unknownStrategy && proxy)
      out.push({
        kind: 'proxy-trust',
        source: 'code',
        framework: FRAMEWORK,
        cookie: name,
        situation: 'auto-without-trust',
        location: strategy?.data.location ?? at.location,
        evidence: strategy?.data.evidence ?? at.evidence,
        snippet: strategy?.data.evidence ?? at.evidence,
        proxyEvidence: proxy,
        consequence: springApp
          ? 'server.forward-headers-strategy is not native or framework, so the container sees HTTP and sets the session cookie without Secure (Spring Boot turns it on by itself only on Cloud Foundry, Heroku, Kubernetes ...)'
          : `${cLabel} sees HTTP unless it is told to trust X-Forwarded-Proto (Tomcat RemoteIpValve, Jetty ForwardedRequestCustomizer), and sets the session cookie without Secure`,
      });
  }
  return out;
}

function codeCookie(file: FileFacts, d: JavaCookieData, spring: boolean): CookieObservation {
  const FRAMEWORK: JavaFramework = spring || d.api === 'response-cookie' ? 'spring' : 'servlet';
  const at = { location: d.location, evidence: d.evidence };
  const site = (k: string) => d.optionSites[k] ?? at;
  const dflt = `${d.api === 'response-cookie' ? 'ResponseCookie' : d.api === 'servlet-cookie' ? 'Cookie' : 'the Set-Cookie header'}`;
  const attr = <T>(
    k: string,
    conv: (v: unknown) => T | undefined,
    def: T | 'unknown',
    note: string,
  ): Attr<T> => {
    const v = d.options[k];
    if (!v)
      return {
        value: def,
        provenance: { kind: 'framework-default', framework: FRAMEWORK, note },
        ...at,
      };
    if (v.kind === 'literal') {
      const c = conv(v.value);
      if (c !== undefined) return { value: c, provenance: { kind: 'explicit' }, ...site(k) };
    }
    return {
      value: 'unknown',
      provenance: { kind: 'unknown', reason: `${describeValue(v)} is computed at run time` },
      ...site(k),
    };
  };
  const name = d.name ?? '<computed>';
  const maxAge = d.options['max-age'];
  const seconds = maxAge?.kind === 'literal' && typeof maxAge.value === 'number' ? maxAge.value : undefined;
  const deletion = seconds === 0;
  const lifetime: CookieLifetime =
    maxAge === undefined || (seconds !== undefined && seconds < 0)
      ? { kind: 'session' }
      : seconds !== undefined
        ? persistentLifetime(seconds, site('max-age'))
        : { kind: 'unknown' };
  const domainOpt = d.options.domain;
  const o: CookieObservation = {
    kind: 'cookie',
    source: 'code',
    name,
    secure: attr<SecureValue>('secure', toBool, false, `${dflt} is not Secure unless set`),
    httpOnly: attr<boolean>('httponly', toBool, false, `${dflt} is not HttpOnly unless set`),
    sameSite: attr<SameSiteValue>('samesite', toSameSite, 'unset', `${dflt} has no SameSite unless set`),
    lifetime,
    prefix: prefixOf(name),
    classification: classifyCookie(name, undefined, {
      framework: FRAMEWORK,
      setBy: 'server',
      ...(d.constantValue ? { constantValue: d.constantValue } : {}),
    }),
    deletion,
    setBy: 'server',
    framework: FRAMEWORK,
    location: d.location,
    snippet: d.evidence,
    inTestCode: file.inTestCode,
    api: d.api,
  };
  if (domainOpt)
    o.domain = attr<string>('domain', (v) => (typeof v === 'string' ? v : undefined), 'unknown', '');
  return o;
}

export function resolveJava(project: ProjectFacts): Observation[] {
  const rootOf = appRootFinder(project);
  const apps = new Map<string, App>();
  const appOf = (file: string): App => {
    const root = rootOf(file);
    let a = apps.get(root);
    if (!a) apps.set(root, (a = { root, settings: [], sessions: [], builds: [] }));
    return a;
  };
  for (const s of javaFactsOf<JavaSetting>(project, JAVA_FACT.setting)) appOf(s.file.file).settings.push(s);
  for (const s of javaFactsOf<JavaSessionUse>(project, JAVA_FACT.session))
    appOf(s.file.file).sessions.push(s);
  for (const b of javaFactsOf<JavaBuildData>(project, JAVA_FACT.build)) appOf(b.file.file).builds.push(b);
  const out: Observation[] = [];
  for (const app of [...apps.values()].sort((a, b) => (a.root < b.root ? -1 : 1)))
    out.push(...sessionObservations(project, app));
  for (const c of javaFactsOf<JavaCookieData>(project, JAVA_COOKIE_FACT)) {
    const root = rootOf(c.file.file);
    const app = apps.get(root);
    const o = codeCookie(c.file, c.data, !!app && isSpringBoot(app));
    if (root) o.app = root;
    out.push(o);
  }
  return out;
}

export const javaResolver: Resolver = { name: 'java', resolve: resolveJava };
