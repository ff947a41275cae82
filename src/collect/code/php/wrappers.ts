/**
 * The project's own cookie functions: `function cookie($name, $value, $expire = 0, $path = '/', $domain
 * = '', $secure = 0) { setcookie($name, $value, $expire, $path, $domain, $secure, true); }`, a
 * `Cookie::set($key, $value, $days = 30)` helper, a wrapper of a wrapper. A setcookie() whose cookie
 * name comes from a parameter of its function is judged at every call of that function in the project
 * (a call whose function's name or class mentions "cookie", see code.ts), with the call's arguments and
 * the parameters' defaults bound, the function's guards (`if ($samesite === '') {...; return;}`,
 * `if (!is_array($options))`) decided per call, and located at the call. A wrapper nothing in the
 * project calls is not judged when its cookie name comes from a parameter (no cookie to name); one whose
 * cookie name does not depend on its parameters is judged once where it calls setcookie(), its parameters
 * taking their defaults.
 */
import type { CodeLocation } from '../../../model/observation.js';
import type { CodeFact, ConstantKind, FileFacts, ProjectFacts } from '../types.js';
import { expiryLike, SETCOOKIE_OPTION_KEYS, type PhpCookieCall, type PhpCookieDetail } from './code.js';
import { resolveCond, resolveDeferred, type InterpretContext } from './interpret.js';
import type { Cond, ParamInfo, PhpFunctionInfo, PhpValue } from './values.js';

type CookieSetFact = Extract<CodeFact, { type: 'cookie-set' }>;

/** A cookie set by setcookie(), possibly through the project's wrappers, located where it is decided. */
export interface CookieSite {
  /** The file and location of the call that sets it (the outermost wrapper call, or setcookie() itself). */
  file: FileFacts;
  location: CodeLocation;
  evidence: string;
  /** The function the location lies in (its parameters take their defaults). */
  fn?: PhpFunctionInfo;
  detail: PhpCookieDetail;
  /** The cookie name as written, when a literal. */
  name: string | null;
  nameValue?: PhpValue;
  /** Where each option was written (only when not followed through a wrapper). */
  optionSites?: CookieSetFact['optionSites'];
  /** Conditions still to decide with the location's context. */
  guards: Cond[];
  deletion: boolean;
  constantValue?: ConstantKind;
  /** The wrappers followed, innermost first (`cookie()`, `eShims::setcookie()`). */
  via: string[];
}

interface Call {
  file: FileFacts;
  location: CodeLocation;
  evidence: string;
  data: PhpCookieCall;
}

const MAX_DEPTH = 4;

function describe(fn: PhpFunctionInfo): string {
  return `${fn.cls ? `${fn.cls}::` : ''}${fn.name ?? 'function'}()`;
}

/** Does a value depend on a parameter of its function? */
export function mentionsParam(v: PhpValue | undefined, depth = 0): boolean {
  if (!v || depth > 16) return false;
  switch (v.kind) {
    case 'param':
      return true;
    case 'array':
      return v.entries.some((e) => mentionsParam(e.value, depth + 1));
    case 'merge':
      return true;
    case 'conditional':
      return (
        condMentionsParam(v.cond) ||
        mentionsParam(v.whenTrue, depth + 1) ||
        mentionsParam(v.whenFalse, depth + 1)
      );
    case 'arith':
      return mentionsParam(v.left, depth + 1) || mentionsParam(v.right, depth + 1);
    case 'relative-time-expr':
      return mentionsParam(v.delta, depth + 1);
    case 'env':
      return mentionsParam(v.default, depth + 1);
    default:
      return false;
  }
}

function condMentionsParam(c: Cond): boolean {
  if (c.kind === 'param') return true;
  if (c.kind === 'and' || c.kind === 'or') return condMentionsParam(c.a) || condMentionsParam(c.b);
  return false;
}

/** Binds a call's arguments to a function's parameters like PHP: positional, then named; defaults for the rest. */
function bind(args: PhpCookieCall['args'], params: ParamInfo[]): (PhpValue | undefined)[] {
  const out: (PhpValue | undefined)[] = params.map((p) => p.default);
  let i = 0;
  for (const a of args) {
    if (a.spread) {
      for (let j = i; j < params.length; j++)
        out[j] = { kind: 'unknown', expression: '...', reason: 'spread arguments' };
      break;
    }
    if (a.name !== null) {
      const j = params.findIndex((p) => p.name.replace(/^\$/, '').toLowerCase() === a.name);
      if (j >= 0) out[j] = a.value;
      continue;
    }
    if (i < params.length) out[i] = a.value;
    i++;
  }
  return out;
}

/**
 * Does a call reach this wrapper? Functions by name. Methods by class and name (`self`, `static`,
 * `$this`: the caller's class); when the named class declares no such wrapper (a subclass, a class
 * using the trait that declares it, another object), every wrapper method of that name that can be
 * called that way (static for `X::m()`): the resolver keeps what they agree on.
 */
function reaches(call: Call, fn: PhpFunctionInfo, declares: (cls: string, name: string) => boolean): boolean {
  const callee = call.data.callee;
  if (callee.name !== fn.name) return false;
  if (fn.cls === null) return callee.cls === null;
  if (callee.cls === null) return false;
  const own = callee.cls === 'self' || callee.cls === 'static' || callee.cls === '$this';
  const cls = own ? call.data.fn?.cls : callee.cls === '?' ? null : callee.cls;
  if (cls && declares(cls, callee.name)) return cls === fn.cls;
  if (callee.cls !== '?' && callee.cls !== '$this' && !fn.isStatic) return false;
  return true;
}

/**
 * Every php setcookie() of the project, followed through the project's cookie wrappers. A call may reach
 * several declarations (two files declaring the same function, a wrapper with several setcookie() calls
 * whose guards stay undecided): each gives a site at the call, and the resolver keeps what they agree on.
 */
export function cookieSites(project: ProjectFacts, constants: Map<string, PhpValue[]>): CookieSite[] {
  const calls: Call[] = [];
  const sets: { file: FileFacts; fact: CookieSetFact; detail: PhpCookieDetail }[] = [];
  const included = new Set<string>();
  for (const { file, fact } of project.all()) {
    if (fact.type === 'other' && fact.framework === 'php' && fact.key === 'include')
      included.add((fact.data as { target: string }).target);
    else if (fact.type === 'other' && fact.framework === 'php' && fact.key === 'cookie-call')
      calls.push({
        file,
        location: fact.location,
        evidence: fact.evidence,
        data: fact.data as PhpCookieCall,
      });
    else if (fact.type === 'cookie-set' && fact.framework === 'php' && fact.detail)
      sets.push({ file, fact, detail: fact.detail as PhpCookieDetail });
  }
  const methods = new Set<string>();
  for (const x of [...sets.map((s) => s.detail.fn), ...calls.map((c) => c.data.fn)])
    if (x?.name && x.cls !== null) methods.add(`${x.cls}::${x.name}`);
  const declares = (cls: string, name: string): boolean => methods.has(`${cls}::${name}`);
  // Files declaring each wrapper function, and whether another file includes one of them.
  const declaredIn = new Map<string, Set<string>>();
  for (const x of [...sets.map((s) => s.detail.fn), ...calls.map((c) => c.data.fn)])
    if (x?.name && x.cls === null) {
      const set = declaredIn.get(x.name) ?? new Set();
      set.add(x.location.file);
      declaredIn.set(x.name, set);
    }
  /**
   * A function declared in several files: a call from a third file reaches a declaration in a file
   * other files include (a library), not the one in a script nothing includes (an installer's own
   * copy of the helper), which only that script and the files it includes can call; a file that declares
   * the function calls its own.
   */
  const visibleFrom = (fn: PhpFunctionInfo, callFile: string): boolean => {
    if (fn.cls !== null || !fn.name) return true;
    const file = fn.location.file;
    if (file === callFile) return true;
    const files = declaredIn.get(fn.name);
    // The calling file declares the function itself: its own declaration is the one it calls.
    if (files?.has(callFile)) return false;
    if (included.has(file)) return true;
    return !files || ![...files].some((f) => f !== file && included.has(f));
  };

  const out: CookieSite[] = [];
  const seen = new Set<string>();
  const push = (site: CookieSite): void => {
    const k = `${site.location.file}:${site.location.line}:${site.location.column}:${JSON.stringify([site.nameValue ?? site.name, site.detail.values])}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(site);
  };

  const expand = (site: CookieSite, depth: number): void => {
    const fn = site.fn;
    const named = mentionsParam(site.nameValue);
    if (!fn?.name || !named || depth >= MAX_DEPTH) return push(site);
    const callers = calls.filter((c) => reaches(c, fn, declares) && visibleFrom(fn, c.location.file));
    // A cookie named by a parameter of a function nothing in the project calls (dead code, a library's
    // API): there is no cookie to name and judge.
    if (callers.length === 0) return;
    for (const c of callers) {
      const ctx: InterpretContext = {
        envFiles: [],
        constants,
        bindings: bind(c.data.args, fn.params),
        bindOnly: true,
      };
      const guards = site.guards.map((g) => resolveCond(g, ctx));
      if (guards.some((g) => g.kind === 'const' && !g.value)) continue;
      let values: Record<string, PhpValue> = {};
      for (const [k, v] of Object.entries(site.detail.values)) values[k] = resolveDeferred(v, ctx);
      const detail: PhpCookieDetail = { ...site.detail, values };
      // A third argument bound to an array is the options form; to a timestamp, the positional one.
      if (site.detail.thirdOpen && values['expires']) {
        const e = values['expires'];
        if (e.kind === 'array') {
          values = { value: values['value']! };
          for (const entry of e.entries)
            if (typeof entry.key === 'string' && SETCOOKIE_OPTION_KEYS.has(entry.key.toLowerCase()))
              values[entry.key.toLowerCase()] = entry.value;
          detail.values = values;
          detail.form = 'array';
          detail.open = e.open;
          delete detail.thirdOpen;
        } else if (expiryLike(e)) {
          detail.open = false;
          delete detail.thirdOpen;
        }
      }
      const nameValue = site.nameValue ? resolveDeferred(site.nameValue, ctx) : undefined;
      const next: CookieSite = {
        file: c.file,
        location: c.location,
        evidence: c.evidence,
        detail,
        name: nameValue?.kind === 'literal' && typeof nameValue.value === 'string' ? nameValue.value : null,
        guards: [...guards.filter((g) => g.kind !== 'const'), ...c.data.guards],
        deletion: false,
        via: [...site.via, `${describe(fn)} (${site.location.file}:${site.location.line})`],
      };
      if (nameValue) next.nameValue = nameValue;
      if (c.data.fn) next.fn = c.data.fn;
      expand(next, depth + 1);
    }
  };

  for (const { file, fact, detail } of sets) {
    const site: CookieSite = {
      file,
      location: fact.location,
      evidence: fact.evidence,
      detail,
      name: fact.name,
      guards: detail.guards ?? [],
      deletion: fact.deletion === true,
      via: [],
    };
    if (detail.nameValue) site.nameValue = detail.nameValue;
    if (detail.fn) site.fn = detail.fn;
    if (fact.optionSites) site.optionSites = fact.optionSites;
    if (fact.constantValue) site.constantValue = fact.constantValue;
    expand(site, 0);
  }
  return out;
}
