/**
 * Flask and Flask-Login: the app's config is replayed in source order (`app.config[...] =`,
 * `update`, `from_mapping`, `from_object` of a config class with its base classes, of a module, or
 * of a class picked from a mapping by environment, `from_pyfile`, `from_envvar`,
 * `from_prefixed_env`), over Flask's defaults (defaults.ts). The session cookie is reported when
 * the app uses the session (flask.session, flash, Flask-Login, Flask-WTF ...) or configures it;
 * the Flask-Login remember cookie when Flask-Login is used and `login_user(..., remember=...)` is
 * not always False. Defaults sit at `Flask(__name__)` / `LoginManager()`.
 */
import type {
  CodeLocation,
  CookieLifetime,
  Observation,
  ProxyTrustObservation,
} from '../../../model/observation.js';
import { proxyInFront } from '../common/deploy.js';
import type { ProjectFacts, Resolver } from '../types.js';
import { cookieObservation } from './cookie-obs.js';
import {
  FLASK_DEFAULTS,
  FLASK_LOGIN_DEFAULTS,
  FLASK_LOGIN_DURATION,
  FLASK_LOGIN_HTTPONLY_SINCE,
  FLASK_PERMANENT_LIFETIME,
  VERSIONS,
} from './defaults.js';
import { envVarsOf, evaluate, literalOf, newEvalContext, truthy, type PyExpr, type PyVal } from './expr.js';
import {
  factsOf,
  type ConfigClassData,
  type FlaskConfigOpData,
  type FlaskTarget,
  type Found,
} from './facts.js';
import { isFlaskCookieKey } from './flask-extractor.js';
import {
  constString,
  envFiles,
  lastPart,
  pypiVersion,
  resolveTree,
  toAttr,
  toBool,
  toSameSite,
  toStr,
  versionOf,
  type DefaultInfo,
  type EnvFile,
  type Origin,
  type ValueTree,
} from './resolve-common.js';
import { modulePathOf } from './module.js';
import { mapTree, SettingsIndex, valueExpr, zipTree } from './settings-chain.js';

type Target =
  | { kind: 'class'; cls: Found<'config-class'> }
  | { kind: 'module'; module: ReturnType<SettingsIndex['find']> & object };

interface FlaskProject {
  project: ProjectFacts;
  idx: SettingsIndex;
  classes: Found<'config-class'>[];
  maps: Found<'config-map'>[];
  envs: EnvFile[];
  /** Calls of app factories outside test code. */
  calls: Found<'factory-call'>[];
}

function findClass(p: FlaskProject, ref: string): Found<'config-class'> | undefined {
  const full = (c: ConfigClassData) => (c.module ? `${c.module}.${c.name}` : c.name);
  return (
    p.classes.find((c) => full(c.data) === ref) ??
    p.classes.find((c) => full(c.data).endsWith(`.${ref}`)) ??
    (ref.includes('.') ? undefined : p.classes.find((c) => c.data.name === ref))
  );
}

function findTarget(p: FlaskProject, ref: string): Target | null {
  const cls = findClass(p, ref);
  if (cls) return { kind: 'class', cls };
  const module = p.idx.find(ref);
  if (module) return { kind: 'module', module };
  return null;
}

/** A config class's value for a key: its own attribute, else its bases' (depth-first, in order). */
function classValue(
  p: FlaskProject,
  cls: Found<'config-class'>,
  key: string,
  seen = new Set<Found<'config-class'>>(),
): ValueTree | null {
  if (seen.has(cls) || seen.size > 20) return null;
  seen.add(cls);
  const own = cls.data.attrs.filter((a) => a.key === key).at(-1);
  if (own)
    return {
      kind: 'expr',
      expr: own.expr,
      origin: { location: own.location, evidence: `${cls.data.name}.${own.evidence}`, snippet: own.snippet },
    };
  for (const b of cls.data.bases) {
    const base = findClass(p, b);
    if (!base) continue;
    const v = classValue(p, base, key, seen);
    if (v) return v;
  }
  return null;
}

function targetValue(p: FlaskProject, t: Target, key: string): ValueTree | null {
  return t.kind === 'class' ? classValue(p, t.cls, key) : p.idx.valueOf(t.module, key);
}

function opOrigin(op: FlaskConfigOpData): Origin {
  return { location: op.location, evidence: op.evidence, snippet: op.snippet };
}

/**
 * The file of the module `ref` (`settings.BaseSettings` -> settings.py) when it is in the scanned
 * tree but yielded no settings facts: its text holds none of the settings extractor's keywords.
 */
function moduleWithoutSettings(p: FlaskProject, ref: string): string | null {
  const i = ref.lastIndexOf('.');
  if (i <= 0) return null;
  const mod = ref.slice(0, i);
  const withSettings = new Set<string>();
  for (const c of p.classes) withSettings.add(c.file.file);
  for (const m of factsOf(p.project, 'settings-module')) withSettings.add(m.file.file);
  for (const path of p.project.paths ?? []) {
    if (!path.endsWith('.py')) continue;
    const m = modulePathOf(path);
    if ((m === mod || m.endsWith(`.${mod}`)) && !withSettings.has(path)) return path;
  }
  return null;
}

/** A factory call names this function: the same qualified name, or the same name when one side could not be qualified. */
function callsFunction(callee: string, fn: string): boolean {
  return callee === fn || lastPart(callee) === lastPart(fn);
}

/**
 * The value a `from_object` target gives a key: a config class or module, a class picked from a
 * mapping by environment, or a factory parameter (its default, unless a call outside test code
 * passes something else: then one case per configuration passed). Null: the target does not set
 * the key.
 */
function targetTree(
  p: FlaskProject,
  t: FlaskTarget | null,
  key: string,
  origin: Origin,
  before: ValueTree | null,
  depth: number,
): ValueTree | null {
  if (t === null)
    return { kind: 'opaque', reason: 'a factory parameter without a default that no call passes', origin };
  if (depth > 4) return { kind: 'opaque', reason: 'configuration passed through too many calls', origin };
  switch (t.kind) {
    case 'ref': {
      const target = findTarget(p, t.ref);
      if (target) return targetValue(p, target, key);
      // A module of the tree that the settings extractor never parsed names no cookie setting at all
      // (its keywords include COOKIE_ and SESSION_): its classes leave the key to the default.
      if (moduleWithoutSettings(p, t.ref)) return null;
      return {
        kind: 'opaque',
        reason: `configuration loaded from ${t.ref}, which is not in the scanned tree`,
        origin,
      };
    }
    case 'select': {
      const map = p.maps.find(
        (m) => `${m.data.module}.${m.data.name}` === t.map || m.data.name === t.map.split('.').pop(),
      );
      if (!map)
        return {
          kind: 'opaque',
          reason: `configuration picked from ${t.map}, which is not in the scanned tree`,
          origin,
        };
      const vars = [...envVarsOf(t.selector)];
      const from = p.envs.filter((e) => vars.some((v) => v in e.vars)).map((e) => e.file);
      const cases = map.data.entries.map((e) => {
        const target = findTarget(p, e.ref);
        const vt: ValueTree = target
          ? (targetValue(p, target, key) ??
            before ?? { kind: 'expr', expr: { k: 'name', id: key, t: key }, origin })
          : { kind: 'opaque', reason: `${e.ref} is not in the scanned tree`, origin };
        return { name: e.key, vt, resolvedFrom: from };
      });
      return { kind: 'switch', label: `the config class selected by ${t.selector.t}`, cases, origin };
    }
    case 'param': {
      // What runs: the default where a call leaves the parameter out, else what each call passes.
      const alternatives: { name: string; target: FlaskTarget | null }[] = [];
      let omitted = false;
      const calls = p.calls.filter((c) => callsFunction(c.data.callee, t.fn));
      for (const c of calls) {
        const passed = c.data.keywords[t.name] ?? (t.index >= 0 ? c.data.positional[t.index] : undefined);
        if (passed)
          alternatives.push({
            name: `${c.data.evidence} (${c.file.file}:${c.data.location.line})`,
            target: passed,
          });
        else if (c.data.splat)
          alternatives.push({ name: c.data.evidence, target: { kind: 'unknown', text: c.data.evidence } });
        else omitted = true;
      }
      if (calls.length === 0 || omitted)
        alternatives.unshift({ name: `the default of ${t.name}`, target: t.dflt });
      const trees = alternatives.map((a) => ({
        name: a.name,
        vt: targetTree(p, a.target, key, origin, before, depth + 1),
      }));
      if (trees.length === 1) return trees[0]!.vt;
      const placeholder: ValueTree = before ?? { kind: 'expr', expr: { k: 'name', id: key, t: key }, origin };
      return {
        kind: 'switch',
        label: `the configuration passed to ${lastPart(t.fn)}()`,
        cases: trees.map((c) => ({ name: c.name, vt: c.vt ?? placeholder })),
        origin,
      };
    }
    case 'unknown':
      return { kind: 'opaque', reason: `configuration loaded from ${t.text}`, origin };
  }
}

/** The value of one config key after replaying the operations; null when nothing set it. */
export function flaskValue(p: FlaskProject, ops: Found<'flask-config'>[], key: string): ValueTree | null {
  let cur: ValueTree | null = null;
  const prior = (origin: Origin): ValueTree =>
    cur ?? { kind: 'expr', expr: { k: 'name', id: key, t: key }, origin };
  for (const { data: op } of ops) {
    const item = op.item;
    const origin = opOrigin(op);
    let next: ValueTree | null | undefined; // undefined: no change
    switch (item.op) {
      case 'set':
        if (item.key !== key) break;
        // Flask's Config starts from default_config, so setdefault never changes a Flask key.
        if (item.setdefault && (cur !== null || key in FLASK_DEFAULTS)) break;
        next = { kind: 'expr', expr: item.expr, origin: op.valueLocation ? { ...origin } : origin };
        break;
      case 'from_object': {
        const t = targetTree(p, item.target, key, origin, cur, 0);
        next = t === null ? undefined : t;
        break;
      }
      case 'from_pyfile': {
        const m = item.path ? p.idx.findFile(item.path) : undefined;
        if (m) next = p.idx.valueOf(m, key) ?? undefined;
        else
          next = {
            kind: 'opaque',
            reason: `configuration read from ${item.path ?? 'a computed path'} (from_pyfile), which is not in the scanned tree`,
            origin,
          };
        break;
      }
      case 'from_envvar': {
        const paths = p.envs
          .map((e) => (item.variable ? e.vars[item.variable] : undefined))
          .filter((x): x is string => !!x);
        const m = paths.map((x) => p.idx.findFile(x)).find((x) => x);
        if (m) next = p.idx.valueOf(m, key) ?? undefined;
        else
          next = {
            kind: 'opaque',
            reason: `configuration read from the file named by $${item.variable ?? '?'} (from_envvar)`,
            origin,
          };
        break;
      }
      case 'from_file':
        next = {
          kind: 'opaque',
          reason: `configuration read from ${item.path ?? 'a file'} (from_file)`,
          origin,
        };
        break;
      case 'from_prefixed_env': {
        // Flask 2.1+: FLASK_<KEY> from the environment, parsed as JSON (flask/config.py).
        const variable = `${item.prefix}_${key}`;
        if (p.envs.some((e) => variable in e.vars)) {
          next = mapTree(
            prior(origin),
            (pe) => ({
              k: 'env',
              name: variable,
              required: false,
              dflt: pe,
              cast: 'json-or-str',
              t: `$${variable} (from_prefixed_env)`,
            }),
            origin,
          );
        }
        break;
      }
      case 'opaque':
        next = { kind: 'opaque', reason: item.reason, origin };
        break;
    }
    if (next === undefined || next === null) continue;
    if (op.cond) {
      const cond = op.cond;
      next = zipTree(
        next,
        prior(origin),
        (s: PyExpr, pe: PyExpr) => ({
          k: 'if',
          test: cond,
          then: s,
          else: pe,
          t: `${s.t} if ${cond.t} else ${pe.t}`,
        }),
        origin,
      );
    }
    cur = next;
  }
  return cur;
}

/** Replaces the `name` placeholder of an unset key by its default. */
function withDefault(vt: ValueTree | null, key: string, dflt: PyVal, at: Origin): ValueTree {
  const d = valueExpr(dflt, `${key} (default)`);
  if (!vt) return { kind: 'expr', expr: d, origin: { ...at, isDefault: true } };
  const sub = (e: PyExpr): PyExpr => {
    switch (e.k) {
      case 'name':
        return e.id === key ? d : e;
      case 'if':
        return { ...e, test: sub(e.test), then: sub(e.then), else: sub(e.else) };
      case 'env':
        return e.dflt ? { ...e, dflt: sub(e.dflt) } : e;
      default:
        return e;
    }
  };
  if (vt.kind === 'expr') {
    const e = sub(vt.expr);
    // A bare default (the whole value is the placeholder) keeps default provenance.
    if (vt.expr.k === 'name' && vt.expr.id === key)
      return { kind: 'expr', expr: d, origin: { ...at, isDefault: true } };
    return { ...vt, expr: e };
  }
  if (vt.kind === 'opaque') return vt;
  return { ...vt, cases: vt.cases.map((c) => ({ ...c, vt: withDefault(c.vt, key, dflt, at) })) };
}

function sortOps(ops: Found<'flask-config'>[], appFiles: Set<string>): Found<'flask-config'>[] {
  return [...ops].sort((a, b) => {
    const fa = appFiles.has(a.file.file) ? 0 : 1;
    const fb = appFiles.has(b.file.file) ? 0 : 1;
    if (fa !== fb) return fa - fb;
    if (a.file.file !== b.file.file) return a.file.file < b.file.file ? -1 : 1;
    return a.data.order - b.data.order;
  });
}

interface CookieSpec {
  framework: 'flask' | 'flask-login';
  prefix: 'SESSION_COOKIE_' | 'REMEMBER_COOKIE_';
  defaults: Record<string, PyVal>;
  dflt: DefaultInfo;
  at: Origin;
  lifetimeSeconds: number | null | 'unknown' | 'permanent';
  /** Where `session.permanent = True` is set (lifetimeSeconds 'permanent'). */
  permanentAt?: Origin;
}

function buildCookie(
  p: FlaskProject,
  ops: Found<'flask-config'>[],
  spec: CookieSpec,
  inTestCode: boolean,
): Observation {
  const res = (k: string) => {
    const key = spec.prefix + k;
    return resolveTree(
      withDefault(flaskValue(p, ops, key), key, spec.defaults[key] ?? null, spec.at),
      p.envs,
    );
  };
  const secure = toAttr(res('SECURE'), toBool, spec.dflt);
  const httpOnly = toAttr(res('HTTPONLY'), toBool, spec.dflt);
  const ss = res('SAMESITE');
  const sameSite = {
    ...toAttr(ss, toSameSite, spec.dflt),
    ...(ss.kind === 'constant' && typeof ss.value === 'string' ? { raw: ss.value } : {}),
  };
  const name = constString(res('NAME')) ?? String(spec.defaults[`${spec.prefix}NAME`]);
  const domainRes = res('DOMAIN');
  const pathRes = res('PATH');
  const domain = !(domainRes.kind === 'constant' && (domainRes.value === null || domainRes.value === false))
    ? toAttr(domainRes, toStr, spec.dflt)
    : undefined;
  const path =
    pathRes.kind === 'constant' && pathRes.value === null ? undefined : toAttr(pathRes, toStr, spec.dflt);
  let lifetime: CookieLifetime;
  if (spec.lifetimeSeconds === 'permanent') {
    // session.permanent = True: Expires is PERMANENT_SESSION_LIFETIME away (an int or a timedelta).
    const key = 'PERMANENT_SESSION_LIFETIME';
    const r = resolveTree(
      withDefault(flaskValue(p, ops, key), key, FLASK_PERMANENT_LIFETIME, spec.at),
      p.envs,
    );
    lifetime =
      r.kind === 'constant' && typeof r.value === 'number' && r.value > 0
        ? {
            kind: 'persistent',
            seconds: r.value,
            ...(r.value > 400 * 86400 ? { capped: true } : {}),
            location: spec.permanentAt?.location ?? r.origin.location,
            evidence: spec.permanentAt?.evidence ?? r.origin.evidence,
          }
        : { kind: 'unknown' };
  } else
    lifetime =
      spec.lifetimeSeconds === 'unknown'
        ? { kind: 'unknown' }
        : spec.lifetimeSeconds === null
          ? { kind: 'session' }
          : { kind: 'persistent', seconds: spec.lifetimeSeconds };
  return cookieObservation({
    name,
    framework: spec.framework,
    secure,
    httpOnly,
    sameSite,
    ...(domain ? { domain } : {}),
    ...(path ? { path } : {}),
    lifetime,
    location: secure.location ?? spec.at.location,
    snippet:
      secure.provenance.kind === 'framework-default'
        ? (spec.at.snippet ?? spec.at.evidence)
        : (secure.evidence ?? spec.at.evidence),
    inTestCode,
  });
}

function setsPrefix(p: FlaskProject, ops: Found<'flask-config'>[], prefix: string): boolean {
  if (ops.some((o) => o.data.item.op === 'set' && o.data.item.key.startsWith(prefix))) return true;
  return p.classes.some((c) => !c.file.inTestCode && c.data.attrs.some((a) => a.key.startsWith(prefix)));
}

function rememberUsed(project: ProjectFacts, inApp: (file: string) => boolean): { at: Origin } | null {
  const login = factsOf(project, 'flask-login').filter((f) => !f.file.inTestCode && inApp(f.file.file));
  const manager = login.find((f) => f.data.kind === 'manager');
  if (!manager) return null;
  const calls = login.filter((f) => f.data.kind === 'login_user');
  // login_user(user) and login_user(user, remember=False) never set the remember cookie.
  const remembers = calls.filter((c) => {
    const r = c.data.remember;
    if (!r) return false;
    const lit = literalOf(r);
    return !(lit && !truthy(lit.v));
  });
  if (calls.length > 0 && remembers.length === 0) return null;
  return {
    at: { location: manager.data.location, evidence: manager.data.evidence, snippet: manager.data.snippet },
  };
}

function proxyFixTrusts(project: ProjectFacts): boolean {
  return factsOf(project, 'proxyfix').some((f) => {
    if (f.file.inTestCode) return false;
    if (!f.data.xProto) return true; // ProxyFix(app.wsgi_app): x_proto=1 by default
    const v = evaluate(f.data.xProto, newEvalContext());
    return !v.ok || truthy(v.v);
  });
}

/** Directory part of a path (`a/b/c.py` -> `a/b`). */
function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

/** Number of leading directory names two directories share. */
function sharedDepth(a: string, b: string): number {
  const x = a === '' ? [] : a.split('/');
  const y = b === '' ? [] : b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/**
 * The apps a file's facts belong to, when a tree holds several Flask apps: the apps created in that
 * file, else the apps nearest to it in the folder tree (the most leading folders in common), so
 * that two apps in two folders never mix their settings. Ties go to every tied app.
 */
function ownersOf(file: string, apps: readonly Found<'flask-app'>[]): Found<'flask-app'>[] {
  if (apps.length <= 1) return [...apps];
  const same = apps.filter((a) => a.file.file === file);
  if (same.length > 0) return same;
  const d = dirOf(file);
  let best = -1;
  let owners: Found<'flask-app'>[] = [];
  for (const a of apps) {
    const n = sharedDepth(d, dirOf(a.file.file));
    if (n > best) {
      best = n;
      owners = [a];
    } else if (n === best) owners.push(a);
  }
  return owners;
}

export function resolveFlask(project: ProjectFacts): Observation[] {
  const p: FlaskProject = {
    project,
    idx: new SettingsIndex(project),
    classes: factsOf(project, 'config-class'),
    maps: factsOf(project, 'config-map'),
    envs: envFiles(project),
    calls: factsOf(project, 'factory-call').filter((c) => !c.file.inTestCode),
  };
  const out: Observation[] = [];
  // Apps made through another class count when the project defines it as a Flask subclass.
  const subclasses = factsOf(project, 'flask-subclass').map((f) => f.data.name);
  const apps = factsOf(project, 'flask-app').filter(
    (a) =>
      a.data.viaClass === undefined ||
      subclasses.some((n) => n === a.data.viaClass || lastPart(n) === lastPart(a.data.viaClass!)),
  );
  const allOps = factsOf(project, 'flask-config');
  const mainApps = apps.filter((a) => !a.file.inTestCode);
  const mainOps = allOps.filter((o) => !o.file.inTestCode);
  const belongs = (file: string, app: Found<'flask-app'> | null) =>
    app === null || mainApps.length <= 1 || ownersOf(file, mainApps).includes(app);

  // Each app on its own; without any Flask() in the tree, the config writes stand for one app.
  const groups: (Found<'flask-app'> | null)[] = mainApps.length > 0 ? mainApps : [null];
  const sessions: Observation[] = [];
  for (const app of groups) {
    const ops = sortOps(
      mainOps.filter((o) => belongs(o.file.file, app)),
      new Set(app ? [app.file.file] : []),
    );
    const firstCookieOp = ops.find((o) => o.data.item.op === 'set' && isFlaskCookieKey(o.data.item.key));
    const appAt: Origin | null = app
      ? { location: app.data.location, evidence: app.data.evidence, snippet: app.data.snippet }
      : firstCookieOp
        ? opOrigin(firstCookieOp.data)
        : null;
    if (!appAt) continue;
    const uses = factsOf(project, 'flask-session-use').filter(
      (f) => !f.file.inTestCode && belongs(f.file.file, app),
    );
    const used = uses.length > 0;
    const permanent = uses.find((f) => f.data.permanent === true);
    if (used || setsPrefix(p, ops, 'SESSION_COOKIE_')) {
      const session = buildCookie(
        p,
        ops,
        {
          framework: 'flask',
          prefix: 'SESSION_COOKIE_',
          defaults: FLASK_DEFAULTS,
          dflt: { framework: 'flask', version: VERSIONS.flask },
          at: appAt,
          // Browser-session cookie unless session.permanent is set (then PERMANENT_SESSION_LIFETIME).
          lifetimeSeconds: permanent ? 'permanent' : 'unknown',
          ...(permanent
            ? {
                permanentAt: {
                  location: permanent.data.location,
                  evidence: permanent.data.evidence ?? permanent.data.what,
                },
              }
            : {}),
        },
        false,
      );
      if (app && mainApps.length > 1 && session.kind === 'cookie') session.app = app.file.file;
      out.push(session);
      sessions.push(session);
    }
    const remember = rememberUsed(project, (file) => belongs(file, app));
    if (remember) {
      const spec = pypiVersion(project, 'flask-login');
      const v = versionOf(spec);
      const old = v !== null && compare(v, FLASK_LOGIN_HTTPONLY_SINCE) < 0;
      const defaults = { ...FLASK_LOGIN_DEFAULTS, REMEMBER_COOKIE_HTTPONLY: !old };
      const version = old && spec ? spec.replace(/^[=<>~^!\s]+/, '') : VERSIONS.flaskLogin;
      const rememberObs = buildCookie(
        p,
        ops,
        {
          framework: 'flask-login',
          prefix: 'REMEMBER_COOKIE_',
          defaults,
          dflt: {
            framework: 'flask-login',
            version,
            ...(old ? { note: 'HttpOnly by default only since Flask-Login 0.6.0' } : {}),
          },
          at: remember.at,
          lifetimeSeconds: FLASK_LOGIN_DURATION,
        },
        false,
      );
      if (app && mainApps.length > 1 && rememberObs.kind === 'cookie') rememberObs.app = app.file.file;
      out.push(rememberObs);
    }
  }

  // Test code: what a test file configures itself, reported at info.
  const byFile = new Map<string, Found<'flask-config'>[]>();
  for (const o of allOps)
    if (o.file.inTestCode) byFile.set(o.file.file, [...(byFile.get(o.file.file) ?? []), o]);
  for (const ops of byFile.values()) {
    const sorted = sortOps(ops, new Set());
    const first = sorted.find(
      (o) => o.data.item.op === 'set' && o.data.item.key.startsWith('SESSION_COOKIE_'),
    );
    if (!first) continue;
    out.push(
      buildCookie(
        p,
        sorted,
        {
          framework: 'flask',
          prefix: 'SESSION_COOKIE_',
          defaults: FLASK_DEFAULTS,
          dflt: { framework: 'flask', version: VERSIONS.flask },
          at: opOrigin(first.data),
          lifetimeSeconds: 'unknown',
        },
        true,
      ),
    );
  }

  for (const session of sessions) {
    const trust = proxyTrust(project, session);
    if (trust) out.push(trust);
  }
  return out;
}

function compare(a: [number, number, number], b: [number, number, number]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Secure session cookie, a proxy in front (common/deploy.ts evidence) and no ProxyFix trusting
 * X-Forwarded-Proto. Flask still sends the Secure cookie (werkzeug writes the flag whatever the
 * request scheme; checked with Flask 2.2.2's test client over http://), so the consequence is the
 * app's view of the scheme, not a missing cookie.
 */
function proxyTrust(project: ProjectFacts, session: Observation | null): ProxyTrustObservation | null {
  if (!session || session.kind !== 'cookie' || session.secure.value !== true) return null;
  if (proxyFixTrusts(project)) return null;
  const deploy = proxyInFront(project, 'python');
  if (!deploy) return null;
  const location: CodeLocation = session.secure.location ?? session.location!;
  return {
    kind: 'proxy-trust',
    source: 'code',
    framework: 'flask',
    cookie: session.name,
    situation: 'secure-without-trust',
    location,
    evidence: `${session.secure.evidence ?? 'SESSION_COOKIE_SECURE'}; no werkzeug ProxyFix(x_proto=1)`,
    consequence:
      'Flask still sends the Secure cookie, but request.scheme is http behind the proxy: url_for(..., _external=True) ' +
      'builds http:// URLs and HTTPS-forcing extensions (Flask-Talisman force_https) redirect in a loop',
    proxyEvidence: deploy,
    inTestCode: false,
  };
}

export const flaskResolver: Resolver = { name: 'flask', resolve: resolveFlask };
