/** Project-level step of the scan: the sorted facts of every file, and the resolvers run over them. */
import type { ReportError } from '../../model/finding.js';
import type { Observation } from '../../model/observation.js';
import type { CodeFact, FileFacts, ProjectFacts, Resolver } from './types.js';

/** Code-unit order (not locale order): the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareErrors(a: ReportError, b: ReportError): number {
  return compareStrings(a.file ?? '', b.file ?? '') || compareStrings(a.message, b.message);
}

export function buildProjectFacts(
  root: string,
  files: FileFacts[],
  paths: readonly string[] = [],
): ProjectFacts {
  const sorted = [...files].sort((a, b) => compareStrings(a.file, b.file));
  let flat: { file: FileFacts; fact: CodeFact }[] | null = null;
  return {
    root,
    files: sorted,
    paths: [...new Set([...paths, ...sorted.map((f) => f.file)])].sort(compareStrings),
    problems: [],
    all() {
      flat ??= sorted.flatMap((file) => file.facts.map((fact) => ({ file, fact })));
      return flat;
    },
  };
}

/**
 * Runs each resolver; one that throws becomes an `errors` entry and the others still run.
 * Observations located in a test or fixture file get `inTestCode: true` when the resolver did not
 * say so itself.
 */
export function runResolvers(
  project: ProjectFacts,
  resolvers: readonly Resolver[],
  errors: ReportError[],
): Observation[] {
  const testFiles = new Set(project.files.filter((f) => f.inTestCode).map((f) => f.file));
  const out: Observation[] = [];
  for (const r of resolvers) {
    let obs: Observation[];
    try {
      obs = r.resolve(project);
      if (!Array.isArray(obs)) throw new TypeError('the resolver did not return an array');
    } catch (e) {
      const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
      errors.push({ message: `${r.name} could not reason about the project: ${msg}` });
      continue;
    }
    for (const o of obs) {
      const located = o as { location?: { file: string }; inTestCode?: boolean };
      if (located.inTestCode === undefined && located.location && testFiles.has(located.location.file)) {
        located.inTestCode = true;
      }
      out.push(o);
    }
  }
  const seen = new Set<string>();
  for (const p of project.problems ?? []) {
    const k = `${p.file ?? ''}\u0000${p.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    errors.push(p);
  }
  return out;
}
