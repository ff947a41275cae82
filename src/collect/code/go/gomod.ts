/**
 * go.mod: the Go modules a project requires and their versions (`require github.com/gorilla/sessions
 * v1.2.1`, single lines and `require ( ... )` blocks; `// indirect` kept as not direct). The grammar is
 * line-based (https://go.dev/ref/mod#go-mod-file-grammar): a directive word, then its arguments, `//`
 * comments. `replace` directives that point a module at another version win over `require`.
 */
import type { CodeFact, Extractor, ProjectFacts, SourceFile } from '../types.js';

function stripComment(line: string): { text: string; comment: string } {
  const i = line.indexOf('//');
  return i === -1
    ? { text: line.trim(), comment: '' }
    : { text: line.slice(0, i).trim(), comment: line.slice(i + 2).trim() };
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

export function extractGoMod(file: SourceFile): CodeFact[] {
  const out: CodeFact[] = [];
  const replaced = new Map<string, string>();
  let block: string | null = null;
  const lines = file.text.split(/\r?\n/);
  const entries: { name: string; version: string; line: number; indirect: boolean }[] = [];
  lines.forEach((raw, i) => {
    const { text, comment } = stripComment(raw);
    if (text === '') return;
    let directive: string | null = block;
    let rest = text;
    if (block === null) {
      const m = /^(\w+)\s*(.*)$/.exec(text);
      if (!m) return;
      directive = m[1]!;
      rest = m[2]!.trim();
      if (rest === '(') {
        block = directive;
        return;
      }
    } else if (text === ')') {
      block = null;
      return;
    }
    const parts = rest.split(/\s+/).map(unquote);
    if (directive === 'require' && parts.length >= 2) {
      entries.push({
        name: parts[0]!,
        version: parts[1]!,
        line: i + 1,
        indirect: /\bindirect\b/.test(comment),
      });
    } else if (directive === 'replace') {
      const arrow = parts.indexOf('=>');
      if (arrow > 0 && parts[arrow + 2] !== undefined) replaced.set(parts[0]!, parts[arrow + 2]!);
    }
  });
  for (const e of entries) {
    out.push({
      type: 'dependency',
      ecosystem: 'go',
      name: e.name,
      version: replaced.get(e.name) ?? e.version,
      location: { file: file.file, line: e.line, column: 1 },
      locked: true,
    });
  }
  return out;
}

export const goModExtractor: Extractor = {
  name: 'go-mod',
  files: ['**/go.mod'],
  keywords: [],
  extract: extractGoMod,
};

/** The version of a Go module the project requires (`v1.2.1`), the highest when several go.mod files differ; undefined when none requires it. */
export function goModuleVersion(project: ProjectFacts, ...modules: string[]): string | undefined {
  let best: string | undefined;
  for (const { fact } of project.all()) {
    if (fact.type !== 'dependency' || fact.ecosystem !== 'go') continue;
    if (!modules.some((m) => fact.name === m || fact.name.startsWith(m + '/v'))) continue;
    if (fact.version && (best === undefined || compareVersions(fact.version, best) > 0)) best = fact.version;
  }
  return best;
}

/** Compares `v1.2.3` style versions (pre-release suffixes ignored). */
function compareVersions(a: string, b: string): number {
  const pa = a
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((x) => parseInt(x, 10) || 0);
  const pb = b
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
