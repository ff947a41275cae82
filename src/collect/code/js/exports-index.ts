/**
 * Cross-module resolution for the resolver: a value the extractor left `unknown` because it is imported
 * (`session(sessionConfig)` with `import { sessionConfig } from './config/session'`, `secure: isProd`
 * from `./env`) is replaced by what the imported module exports (`js-export` facts, detect-exports.ts).
 *
 * Module specifiers are resolved like Node / TypeScript bundlers do for relative paths (`./x`, `../x`,
 * with or without an extension, `x/index.*`, `.js` standing for `.ts`) and the common `@/` and `~/`
 * aliases (project root or `src/`); package imports are left alone.
 */
import { posix } from 'node:path';
import type { CodeLocation } from '../../../model/observation.js';
import type { ProjectFacts, SettingValue } from '../types.js';
import { EXPORT_KEY, type JsExportData } from './detect-exports.js';
import type { PackageIndex } from './packages.js';

export interface ResolvedRef {
  value: SettingValue;
  location: CodeLocation;
  evidence: string;
  /** The file the value was written in (where its own imports are resolved). */
  file: string;
}

const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export class ExportIndex {
  /** Every file of the project the engine read: a module an import names is looked for among them. */
  private readonly files = new Set<string>();
  private readonly byFile = new Map<
    string,
    Map<string, { data: JsExportData; location: CodeLocation; evidence: string }>
  >();

  constructor(
    project: ProjectFacts,
    private readonly packages: PackageIndex | null = null,
  ) {
    for (const f of project.files) {
      this.files.add(f.file);
      for (const fact of f.facts) {
        if (fact.type !== 'other' || fact.key !== EXPORT_KEY) continue;
        const data = fact.data as JsExportData;
        const m = this.byFile.get(f.file) ?? new Map();
        m.set(data.name, { data, location: fact.location, evidence: fact.evidence });
        this.byFile.set(f.file, m);
      }
    }
  }

  private has(file: string): boolean {
    return this.byFile.has(file) || (this.files.has(file) && /\.[cm]?[jt]sx?$/.test(file));
  }

  get empty(): boolean {
    return this.byFile.size === 0;
  }

  resolveModule(from: string, spec: string): string | null {
    const bases: string[] = [];
    if (spec.startsWith('./') || spec.startsWith('../'))
      bases.push(posix.normalize(posix.join(posix.dirname(from), spec)));
    else if (spec.startsWith('@/') || spec.startsWith('~/')) {
      // the alias points into the importing file's own package (its root or src/), else the scanned root's
      const pkg = this.packages?.packageOf(from) ?? '';
      const sub = spec.slice(2);
      if (pkg) bases.push(`${pkg}/${sub}`, `${pkg}/src/${sub}`);
      bases.push(sub, `src/${sub}`);
    } else {
      // a package of the workspace, by its name (`@acme/lib/constants/auth`)
      const ws = this.packages?.workspaceImport(spec);
      if (!ws) return null;
      const join = (...p: string[]) => p.filter((x) => x !== '').join('/');
      if (ws.sub) bases.push(join(ws.dir, ws.sub), join(ws.dir, 'src', ws.sub));
      else bases.push(join(ws.dir, 'index'), join(ws.dir, 'src', 'index'));
    }
    for (const base of bases) {
      const stems = [base, base.replace(/\.(m|c)?jsx?$/, '')];
      for (const stem of stems) {
        for (const ext of EXTENSIONS) if (this.has(stem + ext)) return stem + ext;
        for (const ext of EXTENSIONS.slice(1))
          if (this.has(`${stem}/index${ext}`)) return `${stem}/index${ext}`;
      }
    }
    return null;
  }

  /** A scalar export (`isProd`), or null. `name` may be a dotted path into an object export. */
  scalar(from: string, ref: { module: string; name: string }): ResolvedRef | null {
    const file = this.resolveModule(from, ref.module);
    if (!file) return null;
    const [head, ...rest] = ref.name.split('.');
    const exp = this.byFile.get(file)?.get(head);
    if (!exp) return null;
    if (rest.length === 0 && exp.data.value)
      return { value: exp.data.value, location: exp.location, evidence: exp.evidence, file };
    const v = exp.data.values?.[rest.join('.')];
    return v ? { ...v, file } : null;
  }

  /** The keys of an object export (below the dotted path of `name`), or null. */
  object(from: string, ref: { module: string; name: string }): Map<string, ResolvedRef> | null {
    const file = this.resolveModule(from, ref.module);
    if (!file) return null;
    const [head, ...rest] = ref.name.split('.');
    const exp = this.byFile.get(file)?.get(head);
    if (!exp || !exp.data.values) return null;
    const prefix = rest.length ? `${rest.join('.')}.` : '';
    const out = new Map<string, ResolvedRef>();
    for (const [k, v] of Object.entries(exp.data.values)) {
      if (prefix && !k.startsWith(prefix)) continue;
      out.set(k.slice(prefix.length), { ...v, file });
    }
    return out.size ? out : null;
  }
}
