/**
 * Reading Go source with ast-grep's Go grammar (@ast-grep/lang-go): imports, constant folding of the
 * expressions that decide cookie attributes, and the environment tests Go code writes
 * (`os.Getenv("APP_ENV") == "production"`). Values become SettingValues (types.ts); nothing here judges.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeLocation } from '../../../model/observation.js';
import { parseAs } from '../common/grammar.js';
import { evidenceOf, locationOf } from '../common/location.js';
import type { EnvTest, SettingValue } from '../types.js';

export interface GoFile {
  file: string;
  root: SgNode;
  /** Import path → the name the file uses for it (`net/http` → `http`, an alias when given). */
  imports: Map<string, string>;
  /** Package-level and local definitions: identifier → value expressions (several: redefined). Built on first use. */
  readonly defs: Map<string, SgNode[]>;
  /** The file's text. */
  text: string;
}

/** The last path element of an import path, without a major-version suffix (`.../scs/v2` → `scs`). */
function defaultName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1] ?? path;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!;
  return last.replace(/^go-/, '').replace(/[.-].*$/, '');
}

export function stringLiteral(n: SgNode | null | undefined): string | null {
  if (!n) return null;
  const k = n.kind();
  if (k === 'interpreted_string_literal') {
    const t = n.text();
    try {
      return JSON.parse(t) as string;
    } catch {
      return t.slice(1, -1);
    }
  }
  if (k === 'raw_string_literal') return n.text().slice(1, -1);
  return null;
}

export function parseGo(file: string, text: string): GoFile {
  const root = parseAs('go', text).root();
  const imports = new Map<string, string>();
  for (const spec of root.findAll({ rule: { kind: 'import_spec' } })) {
    const pathNode = spec.children().find((c) => String(c.kind()).endsWith('string_literal'));
    const path = stringLiteral(pathNode);
    if (path === null) continue;
    const alias = spec.children().find((c) => c.kind() === 'package_identifier');
    imports.set(path, alias ? alias.text() : defaultName(path));
  }
  let defs: Map<string, SgNode[]> | null = null;
  return {
    file,
    root,
    imports,
    text,
    get defs(): Map<string, SgNode[]> {
      if (defs === null) defs = definitions(root);
      return defs;
    },
  };
}

/** Every definition of an identifier in the file (`x := v`, `x = v`, `var x = v`, `const x = v`). */
function definitions(root: SgNode): Map<string, SgNode[]> {
  const defs = new Map<string, SgNode[]>();
  const add = (names: SgNode[], values: SgNode[]) => {
    names.forEach((n, i) => {
      if (n.kind() !== 'identifier' || n.text() === '_') return;
      const v = values.length === names.length ? values[i] : undefined;
      const list = defs.get(n.text()) ?? [];
      if (v) list.push(v);
      else list.push(n); // defined without a value we can tie to it
      defs.set(n.text(), list);
    });
  };
  for (const d of root.findAll({
    rule: { any: [{ kind: 'short_var_declaration' }, { kind: 'assignment_statement' }] },
  })) {
    const lists = d.children().filter((c) => c.kind() === 'expression_list');
    if (lists.length !== 2) continue;
    const left = lists[0]!.children().filter((c) => c.isNamed());
    if (!left.every((l) => l.kind() === 'identifier')) continue;
    add(
      left,
      lists[1]!.children().filter((c) => c.isNamed()),
    );
  }
  for (const d of root.findAll({ rule: { any: [{ kind: 'var_spec' }, { kind: 'const_spec' }] } })) {
    const names = d.children().filter((c) => c.kind() === 'identifier');
    const list = d.children().find((c) => c.kind() === 'expression_list');
    add(names, list ? list.children().filter((c) => c.isNamed()) : []);
  }
  return defs;
}

/** The name the file gives an imported package, or null when it does not import it. */
export function pkgName(go: GoFile, ...paths: string[]): string | null {
  for (const p of paths) {
    const n = go.imports.get(p);
    if (n !== undefined) return n;
  }
  return null;
}

/** The name for the first import whose path starts with one of `prefixes` (versions: `.../scs/v2`). */
export function pkgNameByPrefix(go: GoFile, ...prefixes: string[]): string | null {
  for (const [path, name] of go.imports) {
    if (prefixes.some((p) => path === p || path.startsWith(p + '/'))) return name;
  }
  return null;
}

export function loc(go: GoFile, n: SgNode): CodeLocation {
  return locationOf(n, go.file);
}

/** Named children of an argument list / expression list. */
export function args(call: SgNode): SgNode[] {
  const list = call.field('arguments') ?? call.children().find((c) => c.kind() === 'argument_list');
  return list ? list.children().filter((c) => c.isNamed() && c.kind() !== 'comment') : [];
}

/** `pkg.Name` → ['pkg', 'Name']; anything else null. */
export function selector(n: SgNode | null | undefined): [string, string] | null {
  if (!n || n.kind() !== 'selector_expression') return null;
  const o = n.field('operand');
  const f = n.field('field');
  if (!o || !f) return null;
  return [o.text(), f.text()];
}

/** Strips parentheses and `&` / `*`. */
export function unwrap(n: SgNode): SgNode {
  let cur = n;
  for (let i = 0; i < 8; i++) {
    const k = cur.kind();
    if (k === 'parenthesized_expression') {
      const inner = cur.children().find((c) => c.isNamed());
      if (!inner) break;
      cur = inner;
    } else if (
      k === 'unary_expression' &&
      (cur.field('operator')?.text() === '&' || cur.text().startsWith('&'))
    ) {
      const inner = cur.field('operand');
      if (!inner) break;
      cur = inner;
    } else break;
  }
  return cur;
}

const SAMESITE: Record<string, string> = {
  SameSiteDefaultMode: 'Default',
  SameSiteLaxMode: 'Lax',
  SameSiteStrictMode: 'Strict',
  SameSiteNoneMode: 'None',
};

interface Ctx {
  go: GoFile;
  depth: number;
}

/**
 * The value of a Go expression, as far as the file shows it: literals, constant arithmetic, SameSite
 * constants, single definitions of identifiers, `os.Getenv` and comparisons of it.
 */
export function valueOf(go: GoFile, n: SgNode): SettingValue {
  return val({ go, depth: 0 }, n);
}

function unknownOf(n: SgNode, reason: string): SettingValue {
  return { kind: 'unknown', expression: evidenceOf(n), reason };
}

function getenvVar(ctx: Ctx, n: SgNode): string | null {
  const u = unwrap(n);
  if (u.kind() !== 'call_expression') return null;
  const s = selector(u.field('function'));
  const os = pkgName(ctx.go, 'os') ?? 'os';
  if (!s || s[0] !== os || (s[1] !== 'Getenv' && s[1] !== 'LookupEnv')) return null;
  const a = args(u);
  return a.length === 1 ? stringLiteral(a[0]) : null;
}

/** The environment test an expression makes, when it only reads environment variables. */
function testOf(ctx: Ctx, n: SgNode): EnvTest | null {
  const u = unwrap(n);
  const k = u.kind();
  if (k === 'binary_expression') {
    const op = u.field('operator')?.text();
    const l = u.field('left');
    const r = u.field('right');
    if (!l || !r) return null;
    if (op === '&&' || op === '||') {
      const a = testOf(ctx, l);
      const b = testOf(ctx, r);
      return a && b ? { op: op === '&&' ? 'and' : 'or', tests: [a, b] } : null;
    }
    if (op === '==' || op === '!=') {
      let variable = getenvVar(ctx, l);
      let lit = stringLiteral(unwrap(r));
      if (variable === null) {
        variable = getenvVar(ctx, r);
        lit = stringLiteral(unwrap(l));
      }
      if (variable === null || lit === null) return null;
      if (lit === '') return { op: op === '==' ? 'falsy' : 'truthy', variable };
      return { op: op === '==' ? 'eq' : 'ne', variable, value: lit };
    }
    return null;
  }
  if (k === 'unary_expression' && u.text().startsWith('!')) {
    const inner = u.field('operand');
    const t = inner ? testOf(ctx, inner) : null;
    return t ? { op: 'not', test: t } : null;
  }
  if (k === 'identifier' && ctx.depth < 4) {
    const d = ctx.go.defs.get(u.text());
    if (d && d.length === 1 && d[0] !== u) return testOf({ ...ctx, depth: ctx.depth + 1 }, d[0]!);
  }
  return null;
}

function describeTest(t: EnvTest): string {
  switch (t.op) {
    case 'eq':
      return `os.Getenv("${t.variable}") == "${t.value}"`;
    case 'ne':
      return `os.Getenv("${t.variable}") != "${t.value}"`;
    case 'truthy':
      return `os.Getenv("${t.variable}") != ""`;
    case 'falsy':
      return `os.Getenv("${t.variable}") == ""`;
    case 'not':
      return `!(${describeTest(t.test)})`;
    case 'and':
    case 'or':
      return t.tests.map(describeTest).join(t.op === 'and' ? ' && ' : ' || ');
    default:
      return 'an environment test';
  }
}

function val(ctx: Ctx, n: SgNode): SettingValue {
  const u = unwrap(n);
  const k = u.kind();
  if (k === 'true' || k === 'false') return { kind: 'literal', value: k === 'true' };
  if (k === 'nil') return { kind: 'literal', value: null };
  if (k === 'int_literal') {
    const v = Number(u.text().replace(/_/g, ''));
    return Number.isFinite(v)
      ? { kind: 'literal', value: v }
      : unknownOf(u, 'a number the scanner cannot read');
  }
  const s = stringLiteral(u);
  if (s !== null) return { kind: 'literal', value: s };
  if (k === 'selector_expression') {
    const sel = selector(u);
    if (sel && SAMESITE[sel[1]] !== undefined) return { kind: 'literal', value: SAMESITE[sel[1]]! };
  }
  if (k === 'unary_expression' && u.text().startsWith('-')) {
    const inner = u.field('operand');
    const v = inner ? val(ctx, inner) : null;
    if (v?.kind === 'literal' && typeof v.value === 'number') return { kind: 'literal', value: -v.value };
  }
  const test = testOf(ctx, u);
  if (test) {
    return {
      kind: 'conditional',
      condition: describeTest(test),
      whenTrue: true,
      whenFalse: false,
      expression: evidenceOf(u),
      test,
      ...(test.op === 'eq' || test.op === 'ne' || test.op === 'truthy' || test.op === 'falsy'
        ? { variable: test.variable }
        : {}),
    };
  }
  const env = getenvVar(ctx, u);
  if (env !== null) return { kind: 'env', variable: env, expression: evidenceOf(u) };
  if (k === 'binary_expression') {
    const op = u.field('operator')?.text();
    const l = u.field('left');
    const r = u.field('right');
    if (l && r && (op === '*' || op === '+' || op === '-')) {
      const a = val(ctx, l);
      const b = val(ctx, r);
      if (
        a.kind === 'literal' &&
        b.kind === 'literal' &&
        typeof a.value === 'number' &&
        typeof b.value === 'number'
      )
        return {
          kind: 'literal',
          value: op === '*' ? a.value * b.value : op === '+' ? a.value + b.value : a.value - b.value,
        };
    }
  }
  if (k === 'identifier') {
    const d = ctx.go.defs.get(u.text());
    if (d && d.length === 1 && d[0] !== u && ctx.depth < 4) {
      const v = val({ ...ctx, depth: ctx.depth + 1 }, d[0]!);
      if (v.kind !== 'unknown') return v;
      return unknownOf(u, `${u.text()} is ${v.expression}, which the scanner cannot resolve`);
    }
    if (d && d.length > 1) return unknownOf(u, `${u.text()} is assigned in several places`);
    return unknownOf(u, `${u.text()} is not defined in this file (a parameter, or defined in another file)`);
  }
  if (k === 'call_expression') return unknownOf(u, 'the value of a function call');
  if (k === 'selector_expression') return unknownOf(u, 'a field of a configuration value');
  return unknownOf(u, 'a computed value');
}

/** Whether `time.…` expression `n` is plainly in the past (a deletion's Expires): time.Unix(0, 0), time.Now().Add(-x). */
export function expiresInPast(go: GoFile, n: SgNode): boolean | null {
  const u = unwrap(n);
  if (u.kind() !== 'call_expression') return null;
  const fn = u.field('function');
  const tm = pkgName(go, 'time') ?? 'time';
  const s = selector(fn);
  if (s && s[0] === tm && s[1] === 'Unix') {
    const a = args(u);
    const v = a[0] ? val({ go, depth: 0 }, a[0]) : null;
    return v?.kind === 'literal' && typeof v.value === 'number' ? v.value < 86400 * 365 * 20 : null;
  }
  if (fn?.kind() === 'selector_expression') {
    const method = fn.field('field')?.text();
    const recv = fn.field('operand');
    if ((method === 'Add' || method === 'AddDate') && recv?.text() === `${tm}.Now()`) {
      const a = args(u);
      if (a.length === 0) return null;
      const negative = a.some((x) => unwrap(x).text().trim().startsWith('-'));
      const allZeroOrNeg = a.every((x) => /^-|^0$/.test(unwrap(x).text().trim()));
      return negative && allZeroOrNeg ? true : false;
    }
    if (recv?.text() === tm && method === 'Now') return false;
  }
  return null;
}
