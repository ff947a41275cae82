/**
 * Reads of pydantic settings fields (`settings.PRODUCTION`, `get_settings().cookie_secure`) as the
 * environment reads they are: the field's variable (env_prefix + name, or its alias), its default,
 * its type's parsing. The object is not followed (a module-level instance, an `lru_cache`d getter, a
 * FastAPI dependency): an attribute is taken for a field when the project's settings classes define
 * a field of that name one way only; a name two classes define differently stays unresolved.
 */
import type { ProjectFacts } from '../types.js';
import { mapExpr, type PyExpr } from './expr.js';
import { factsOf, type PydanticFieldData, type PydanticSettingsData } from './facts.js';
import { lastPart } from './resolve-common.js';

export interface SettingsField {
  cls: string;
  field: PydanticFieldData;
  expr: PyExpr;
}

/**
 * Fields by attribute name, each with its environment read; a name the classes read differently
 * (two classes, or a subclass with another env_prefix) keeps the readings, to say why it is open.
 */
export type SettingsFields = Map<string, SettingsField | { readings: string[] }>;

/** The environment read of a field as class `cls` sees it. */
function fieldEnvExpr(cls: PydanticSettingsData, f: PydanticFieldData): PyExpr {
  const raw = f.env ?? `${cls.prefix}${f.name}`;
  const name = cls.caseSensitive || f.env !== undefined ? raw : raw.toUpperCase();
  return f.dflt
    ? { k: 'env', name, required: false, dflt: f.dflt, cast: f.cast, t: f.name }
    : { k: 'env', name, required: true, cast: f.cast, t: f.name };
}

/** `OTHER_FLAG, default True` / `RECIPES_PRODUCTION, required`. */
function readingOf(r: SettingsField): string {
  if (r.expr.k !== 'env') return r.field.name;
  return `${r.expr.name}, ${r.expr.dflt ? `default ${r.expr.dflt.t}` : 'required'}`;
}

const cache = new WeakMap<ProjectFacts, SettingsFields>();

export function settingsFieldsOf(project: ProjectFacts): SettingsFields {
  const hit = cache.get(project);
  if (hit) return hit;
  const classes = factsOf(project, 'pydantic-settings')
    .filter((f) => !f.file.inTestCode)
    .map((f) => f.data);
  const byName = new Map(classes.map((c) => [c.name, c]));
  const seen = new Map<string, Map<string, SettingsField>>();
  for (const cls of classes) {
    // A class sees its own fields and those of the settings classes it derives from.
    const chain: PydanticSettingsData[] = [];
    for (
      let c: PydanticSettingsData | undefined = cls;
      c && chain.length < 20;
      c = c.parent ? byName.get(c.parent) : undefined
    )
      chain.push(c);
    const own = new Map<string, PydanticFieldData>();
    for (const c of chain.reverse()) for (const f of c.fields) own.set(f.name, f);
    for (const [name, field] of own) {
      const expr = fieldEnvExpr(cls, field);
      let readings = seen.get(name);
      if (!readings) seen.set(name, (readings = new Map()));
      const key = JSON.stringify(expr);
      if (!readings.has(key)) readings.set(key, { cls: cls.name, field, expr });
    }
  }
  const out: SettingsFields = new Map();
  for (const [name, readings] of seen) {
    const all = [...readings.values()];
    out.set(
      name,
      all.length === 1 ? all[0]! : { readings: all.map((r) => `${lastPart(r.cls)}: ${readingOf(r)}`) },
    );
  }
  cache.set(project, out);
  return out;
}

/** The expression with attribute reads of settings fields replaced by their environment reads. */
export function withSettingsFields(e: PyExpr, fields: SettingsFields): PyExpr {
  if (fields.size === 0) return e;
  return mapExpr(e, (x) => {
    if (x.k !== 'unknown' || x.attr === undefined) return x;
    const sf = fields.get(x.attr);
    if (!sf) return x;
    if ('readings' in sf)
      return {
        ...x,
        reason: `pydantic settings classes read ${x.attr} differently (${sf.readings.join('; ')}) and the scanner does not follow which one ${x.t.slice(0, x.t.length - x.attr.length - 1)} is`,
      };
    const variable = sf.expr.k === 'env' ? sf.expr.name : x.attr;
    return {
      k: 'ref',
      id: x.t,
      e: { ...sf.expr, t: x.t },
      t: x.t,
      defText:
        `${sf.field.evidence} in pydantic settings ${sf.cls} (${sf.field.location.file}:${sf.field.location.line}; ` +
        `environment variable ${variable}${sf.field.dflt ? '' : ', required'})`,
    };
  });
}
