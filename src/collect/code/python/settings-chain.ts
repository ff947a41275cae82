/**
 * Module-level settings across files: the value of a setting in a module is its last assignment,
 * or what an earlier star import brought (`from .base import *`), applied in source order, with
 * `if` blocks as conditional values and `+=` / `.append()` as list additions. Names an expression
 * reads from a star-imported module are replaced by their value there ("closing" the expression),
 * since Python evaluated them when that module ran.
 */
import type { FileFacts, ProjectFacts } from '../types.js';
import type { PyExpr, PyVal } from './expr.js';
import { factsOf, type SettingAssign, type SettingsModuleData } from './facts.js';
import type { Origin, ValueTree } from './resolve-common.js';

export interface ModuleEntry {
  file: FileFacts;
  data: SettingsModuleData;
}

const MAX_CHAIN = 20;

export class SettingsIndex {
  readonly modules: ModuleEntry[];
  private readonly memo = new Map<string, ValueTree | null>();

  /** `defaults`: values a name has when no module sets it (Django's global_settings), or none. */
  constructor(
    private readonly project: ProjectFacts,
    private readonly defaults: Record<string, PyVal> = {},
  ) {
    this.modules = factsOf(project, 'settings-module').map((f) => ({ file: f.file, data: f.data }));
  }

  /** Settings modules that star-import each other in a loop: said once, in the report's errors. */
  private loop(path: ModuleEntry[], back: ModuleEntry): void {
    // The same loop met from any of its modules is said the same way: from its smallest name.
    const members = path.slice(path.indexOf(back));
    const first = members.reduce((a, b) => (b.data.module < a.data.module ? b : a));
    const at = members.indexOf(first);
    const cycle = [...members.slice(at), ...members.slice(0, at), first].map((m) => m.data.module);
    this.project.problems?.push({
      file: first.file.file,
      message: `settings modules import each other in a loop (${cycle.join(' -> ')}): values they set may depend on import order; they are read once each`,
    });
  }

  /** A module by dotted path: exact, else the module whose path ends with `.dotted` (src layouts). */
  find(dotted: string): ModuleEntry | undefined {
    const exact = this.modules.find((m) => m.data.module === dotted);
    if (exact) return exact;
    const tail = this.modules.filter((m) => m.data.module.endsWith(`.${dotted}`));
    if (tail.length === 1) return tail[0];
    // Prefer non-test files when ambiguous.
    return tail.find((m) => !m.file.inTestCode) ?? tail[0];
  }

  /** A module by file path suffix (from_pyfile('config.py')). */
  findFile(path: string): ModuleEntry | undefined {
    const clean = path.replace(/^\.\//, '');
    return this.modules.find((m) => m.file.file === clean || m.file.file.endsWith(`/${clean}`));
  }

  /** Modules that star-import this one. */
  importers(entry: ModuleEntry): ModuleEntry[] {
    return this.modules.filter((m) => m.data.starImports.some((s) => this.find(s.module) === entry));
  }

  /** Every module reachable through star imports, this one first. */
  chain(entry: ModuleEntry, seen = new Set<ModuleEntry>(), path: ModuleEntry[] = []): ModuleEntry[] {
    if (path.includes(entry)) this.loop(path, entry);
    if (seen.has(entry) || seen.size > MAX_CHAIN) return [];
    seen.add(entry);
    const out = [entry];
    for (const s of entry.data.starImports) {
      const m = this.find(s.module);
      if (m) out.push(...this.chain(m, seen, [...path, entry]));
    }
    return out;
  }

  /** True when the key is set in the module or anything it star-imports. */
  setsKey(entry: ModuleEntry, key: string): boolean {
    return this.chain(entry).some((m) => m.data.assigns.some((a) => a.key === key));
  }

  /** The assignments of a key along the chain (for locations of list entries). */
  assignsOf(entry: ModuleEntry, key: string): SettingAssign[] {
    return this.chain(entry).flatMap((m) => m.data.assigns.filter((a) => a.key === key));
  }

  /** Value of `key` at the end of `entry` (null: no module sets it). */
  valueOf(entry: ModuleEntry, key: string, stack: ModuleEntry[] = []): ValueTree | null {
    const memoKey = `${entry.data.module}\u0000${key}`;
    if (this.memo.has(memoKey)) return this.memo.get(memoKey)!;
    if (stack.includes(entry)) {
      this.loop(stack, entry);
      return null;
    }
    if (stack.length > MAX_CHAIN) return null;
    const next = [...stack, entry];
    type Ev = { line: number; star?: string; assign?: SettingAssign };
    const events: Ev[] = [
      ...entry.data.starImports.map((s) => ({ line: s.location.line, star: s.module })),
      ...entry.data.assigns.filter((a) => a.key === key).map((a) => ({ line: a.location.line, assign: a })),
    ].sort((a, b) => a.line - b.line);
    let current: ValueTree | null = null;
    for (const ev of events) {
      if (ev.star !== undefined) {
        const m = this.find(ev.star);
        const sub = m ? this.valueOf(m, key, next) : null;
        if (sub) current = sub;
        continue;
      }
      const a = ev.assign!;
      const origin: Origin = { location: a.location, evidence: a.evidence, snippet: a.snippet };
      const expr = this.close(entry, a.expr, next);
      const cond = a.cond ? this.close(entry, a.cond, next) : undefined;
      const prior: ValueTree = current ?? this.defaultTree(key, origin);
      let vt: ValueTree;
      if (a.op === 'add')
        vt = mapTree(prior, (p) => ({ k: 'arith', op: '+', l: p, r: expr, t: `${key} + ${expr.t}` }), origin);
      else vt = { kind: 'expr', expr, origin };
      if (cond) {
        const set = vt;
        vt = zipTree(
          set,
          prior,
          (s, p) => ({ k: 'if', test: cond, then: s, else: p, t: `${s.t} if ${cond.t} else ${p.t}` }),
          origin,
        );
      }
      current = vt;
    }
    this.memo.set(memoKey, current);
    return current;
  }

  private defaultTree(key: string, origin: Origin): ValueTree {
    if (key in this.defaults) {
      return {
        kind: 'expr',
        expr: valueExpr(this.defaults[key]!, `${key} (default)`),
        origin: { ...origin, isDefault: true },
      };
    }
    return { kind: 'expr', expr: { k: 'name', id: key, t: key }, origin };
  }

  /** Replaces names defined by star-imported modules with their values there. */
  close(entry: ModuleEntry, e: PyExpr, stack: ModuleEntry[], depth = 0): PyExpr {
    if (depth > 60) return e;
    const rec = (x: PyExpr) => this.close(entry, x, stack, depth + 1);
    switch (e.k) {
      case 'name': {
        let found: ValueTree | null = null;
        for (const s of entry.data.starImports) {
          const m = this.find(s.module);
          if (!m || stack.includes(m)) continue;
          const v = this.valueOf(m, e.id, stack);
          if (v) found = v;
        }
        if (found && found.kind === 'expr') {
          return {
            k: 'ref',
            id: e.id,
            e: found.expr,
            t: e.id,
            defLoc: found.origin.location,
            defText: found.origin.evidence,
          };
        }
        if (!found && e.id in this.defaults) return valueExpr(this.defaults[e.id]!, `${e.id} (default)`);
        return e;
      }
      case 'ref':
        return { ...e, e: rec(e.e) };
      case 'env':
        return e.dflt ? { ...e, dflt: rec(e.dflt) } : e;
      case 'not':
        return { ...e, e: rec(e.e) };
      case 'bool':
      case 'cmp':
      case 'arith':
        return { ...e, l: rec(e.l), r: rec(e.r) } as PyExpr;
      case 'seq':
        return { ...e, items: e.items.map(rec) };
      case 'if':
        return { ...e, test: rec(e.test), then: rec(e.then), else: rec(e.else) };
      case 'fn':
        return { ...e, arg: rec(e.arg) };
      default:
        return e;
    }
  }
}

/** A constant as an expression. */
export function valueExpr(v: PyVal, t: string): PyExpr {
  if (Array.isArray(v)) return { k: 'seq', items: v.map((x) => valueExpr(x, String(x))), t };
  return { k: 'lit', v, t };
}

/** Applies `f` to every expression leaf of a tree (opaque leaves become unknown expressions). */
export function mapTree(vt: ValueTree, f: (e: PyExpr) => PyExpr, origin: Origin): ValueTree {
  if (vt.kind === 'expr') return { kind: 'expr', expr: f(vt.expr), origin };
  if (vt.kind === 'opaque')
    return { kind: 'expr', expr: f({ k: 'unknown', t: vt.reason, reason: vt.reason }), origin };
  return { ...vt, cases: vt.cases.map((c) => ({ ...c, vt: mapTree(c.vt, f, origin) })) };
}

/** Combines a new value with the prior one leaf by leaf (`if cond: X = new`). */
export function zipTree(
  set: ValueTree,
  prior: ValueTree,
  f: (s: PyExpr, p: PyExpr) => PyExpr,
  origin: Origin,
): ValueTree {
  if (set.kind === 'expr') return mapTree(prior, (p) => f(set.expr, p), origin);
  if (set.kind === 'opaque')
    return mapTree(prior, (p) => f({ k: 'unknown', t: set.reason, reason: set.reason }, p), origin);
  return { ...set, cases: set.cases.map((c) => ({ ...c, vt: zipTree(c.vt, prior, f, origin) })) };
}
