/**
 * The npm packages of a project: every folder holding a `package.json` is one package (the root of a
 * single app, or one package of a workspace / monorepo). Each package is judged on its own: its `.env*`
 * files, its proxy trust and its TLS servers never decide another package's cookies. Imports of a
 * workspace package by name (`@acme/lib/constants/auth`) are resolved into its folder.
 */
import { posix } from 'node:path';
import type { CodeFact, Extractor, ProjectFacts, SourceFile } from '../types.js';

export const PACKAGE_KEY = 'js-package';

export interface JsPackageData {
  /** The package's `name`, when it has one. */
  name?: string;
}

export function extractPackageJson(file: SourceFile): CodeFact[] {
  let name: string | undefined;
  try {
    const data = JSON.parse(file.text) as { name?: unknown } | null;
    if (data && typeof data.name === 'string' && data.name.trim() !== '') name = data.name.trim();
  } catch {
    // the manifest extractor reports a package.json that does not parse; the folder is still a package
  }
  const data: JsPackageData = name ? { name } : {};
  return [
    {
      type: 'other',
      framework: 'javascript',
      key: PACKAGE_KEY,
      data,
      location: { file: file.file, line: 1, column: 1 },
      evidence: name ? `"name": ${JSON.stringify(name)}` : 'package.json',
    },
  ];
}

export const packageJsonExtractor: Extractor = {
  name: 'javascript-packages',
  files: ['**/package.json'],
  keywords: [],
  extract: extractPackageJson,
};

function dirOf(file: string): string {
  const d = posix.dirname(file);
  return d === '.' ? '' : d;
}

/** Package folders ('' = the scanned root) and the names of workspace packages. */
export class PackageIndex {
  /** Folders holding a package.json, deepest first. */
  private readonly dirs: string[];
  private readonly byName = new Map<string, string>();
  private readonly cache = new Map<string, string>();

  constructor(project: ProjectFacts) {
    const dirs = new Set<string>();
    for (const f of project.files) {
      for (const fact of f.facts) {
        if (fact.type !== 'other' || fact.key !== PACKAGE_KEY) continue;
        const dir = dirOf(f.file);
        dirs.add(dir);
        const name = (fact.data as JsPackageData).name;
        if (name && !f.inTestCode && !this.byName.has(name)) this.byName.set(name, dir);
      }
    }
    this.dirs = [...dirs].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  }

  /** The package folder a file belongs to: the deepest folder above it with a package.json ('' when none). */
  packageOf(file: string): string {
    const dir = dirOf(file);
    const hit = this.cache.get(dir);
    if (hit !== undefined) return hit;
    let pkg = '';
    for (const d of this.dirs) {
      if (d === '' || dir === d || dir.startsWith(d + '/')) {
        pkg = d;
        break;
      }
    }
    this.cache.set(dir, pkg);
    return pkg;
  }

  /** The folder of a workspace package and the path inside it, for a bare import (`@acme/lib/x` -> packages/lib, x). */
  workspaceImport(spec: string): { dir: string; sub: string } | null {
    if (this.byName.size === 0) return null;
    const parts = spec.split('/');
    const n = spec.startsWith('@') ? 2 : 1;
    for (let i = parts.length; i >= n; i--) {
      const dir = this.byName.get(parts.slice(0, i).join('/'));
      if (dir !== undefined) return { dir, sub: parts.slice(i).join('/') };
    }
    return null;
  }
}

/** True when `file` lies in folder `dir` ('' = everywhere). */
export function isUnder(file: string, dir: string): boolean {
  return dir === '' || file === dir || file.startsWith(dir + '/');
}
