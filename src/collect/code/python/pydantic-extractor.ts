/**
 * pydantic settings classes (`class Settings(BaseSettings): PRODUCTION: bool = False`), the usual
 * configuration of FastAPI / Starlette apps: every field is read from the environment variable of
 * its name (env_prefix first; case-insensitive unless case_sensitive), else takes its default, and a
 * field without a default is required. `secure=settings.PRODUCTION` then depends on that variable.
 *
 * Facts: one `pydantic-settings` fact per class deriving from pydantic-settings' `BaseSettings`
 * (pydantic 2, or pydantic 1's `pydantic.BaseSettings`), directly or through a class of the same
 * file, with its scalar fields (bool, int, float, str; Optional of one). Behaviour checked against
 * pydantic-settings 2.x documentation (env_prefix, case_sensitive, validation_alias) and pydantic
 * 1.10's `Field(env=...)`; booleans parse 1/0, true/false, yes/no, on/off, t/f, y/n.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { callArgs, stringValue, type EnvCast } from './expr.js';
import { fact, type PydanticFieldData, type PydanticSettingsData } from './facts.js';
import { pyFileOf, type PyFile } from './module.js';
import { oneLine } from './parse.js';

const BASE_SETTINGS = new Set([
  'pydantic_settings.BaseSettings',
  'pydantic_settings.main.BaseSettings',
  'pydantic.BaseSettings',
  'pydantic.env_settings.BaseSettings',
  'pydantic.v1.BaseSettings',
]);

const CASTS: Record<string, EnvCast> = { bool: 'bool-strict', int: 'int', float: 'float', str: 'str' };

/** The cast of a scalar annotation (`bool`, `Optional[bool]`, `bool | None`), else null. */
function castOf(annotation: string): EnvCast | null {
  const a = annotation.replace(/\s+/g, '');
  const m =
    /^(?:typing\.)?Optional\[(\w+)\]$/.exec(a) ??
    /^(\w+)\|None$/.exec(a) ??
    /^None\|(\w+)$/.exec(a) ??
    /^(\w+)$/.exec(a);
  return m ? (CASTS[m[1]!] ?? null) : null;
}

/** `model_config = SettingsConfigDict(env_prefix=..., case_sensitive=...)` or pydantic 1's `class Config:`. */
function configOf(py: PyFile, body: SgNode): { prefix?: string; caseSensitive?: boolean } {
  const out: { prefix?: string; caseSensitive?: boolean } = {};
  for (const st of body.namedChildren()) {
    if (st.kind() === 'expression_statement') {
      const a = st.namedChildren()[0];
      if (a?.kind() !== 'assignment' || a.field('left')?.text() !== 'model_config') continue;
      const right = a.field('right');
      if (right?.kind() === 'call') {
        const args = callArgs(right);
        const p = args.keywords.get('env_prefix');
        if (p) out.prefix = py.stringAt(p) ?? undefined;
        const cs = args.keywords.get('case_sensitive');
        if (cs) out.caseSensitive = cs.text() === 'True';
      } else if (right?.kind() === 'dictionary') {
        for (const pair of right.namedChildren()) {
          if (pair.kind() !== 'pair') continue;
          const key = stringValue(pair.field('key'));
          const value = pair.field('value');
          if (key === 'env_prefix' && value) out.prefix = py.stringAt(value) ?? undefined;
          if (key === 'case_sensitive' && value) out.caseSensitive = value.text() === 'True';
        }
      }
    } else if (st.kind() === 'class_definition' && st.field('name')?.text() === 'Config') {
      for (const inner of st.field('body')?.namedChildren() ?? []) {
        const a = inner.namedChildren()[0];
        if (a?.kind() !== 'assignment') continue;
        const left = a.field('left')?.text();
        const right = a.field('right');
        if (left === 'env_prefix' && right) out.prefix = py.stringAt(right) ?? undefined;
        if (left === 'case_sensitive' && right) out.caseSensitive = right.text() === 'True';
      }
    }
  }
  return out;
}

/** One annotated class attribute (`NAME: bool = default`), or null when it is not a scalar field. */
function fieldOf(py: PyFile, st: SgNode): PydanticFieldData | null {
  if (st.kind() !== 'expression_statement') return null;
  const a = st.namedChildren()[0];
  if (a?.kind() !== 'assignment') return null;
  const left = a.field('left');
  const type = a.field('type');
  if (left?.kind() !== 'identifier' || !type) return null;
  const name = left.text();
  if (name === 'model_config' || name.startsWith('_')) return null;
  const cast = castOf(type.text());
  if (!cast) return null;
  const field: PydanticFieldData = {
    name,
    annotation: oneLine(type.text(), 60),
    cast,
    location: py.loc(a),
    evidence: oneLine(a.text(), 160),
  };
  const right = a.field('right');
  if (!right) return field;
  // `Field(default, ...)` / `Field(default=..., env=..., validation_alias=...)`
  if (right.kind() === 'call' && /(^|\.)Field$/.test(py.qualified(right.field('function')) ?? '')) {
    const args = callArgs(right);
    if (args.splat) return null;
    const alias =
      args.keywords.get('validation_alias') ?? args.keywords.get('alias') ?? args.keywords.get('env');
    if (alias) {
      const s = py.stringAt(alias);
      if (s === null) return null;
      field.env = s;
    }
    const d = args.keywords.get('default') ?? args.positional[0];
    if (args.keywords.has('default_factory')) return null;
    if (d && d.text() !== '...') field.dflt = py.expr(d);
    return field;
  }
  field.dflt = py.expr(right);
  return field;
}

function settingsClasses(py: PyFile): PydanticSettingsData[] {
  const out: PydanticSettingsData[] = [];
  const local = new Map<string, PydanticSettingsData>();
  for (const cls of py.index.classes) {
    const name = cls.field('name')?.text();
    const body = cls.field('body');
    if (!name || !body) continue;
    let parent: PydanticSettingsData | undefined;
    let direct = false;
    for (const b of cls.field('superclasses')?.namedChildren() ?? []) {
      if (b.kind() === 'keyword_argument' || b.kind() === 'comment') continue;
      const q = py.qualified(b);
      if (q && BASE_SETTINGS.has(q)) direct = true;
      else if (b.kind() === 'identifier' && local.has(b.text())) parent ??= local.get(b.text());
    }
    if (!direct && !parent) continue;
    const cfg = configOf(py, body);
    const fields: PydanticFieldData[] = [];
    for (const st of body.namedChildren()) {
      const f = fieldOf(py, st);
      if (f) fields.push(f);
    }
    const data: PydanticSettingsData = {
      name: py.module ? `${py.module}.${name}` : name,
      fields,
      prefix: cfg.prefix ?? parent?.prefix ?? '',
      caseSensitive: cfg.caseSensitive ?? parent?.caseSensitive ?? false,
      ...(parent ? { parent: parent.name } : {}),
      location: py.loc(cls),
    };
    local.set(name, data);
    out.push(data);
  }
  return out;
}

export function extractPydantic(file: SourceFile): CodeFact[] {
  const py = pyFileOf(file);
  return settingsClasses(py).map((c) => fact('pydantic-settings', c, c.location, `class ${c.name}`));
}

export const pydanticExtractor: Extractor = {
  name: 'python-pydantic-settings',
  files: ['**/*.py'],
  keywords: ['BaseSettings'],
  caseSensitive: true,
  extract: extractPydantic,
};
