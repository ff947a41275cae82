/**
 * Applies planned fixes file by file: edits from the end of the file backwards, zero-width inserts at
 * the same point joined in order, overlapping edits refused; a file whose edit would add a syntax
 * error (checked with the same parser as the scan) is left unchanged. The result is a unified diff
 * (`--dry-run`) or the files rewritten in place (a temporary file, then a rename; mode kept).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { PlannedFix, Unfixed } from './plan.js';
import { lineStarts, offsetOf, syntaxErrors } from './plan.js';
import { replaceFileAtomic } from './write.js';

export interface ApplyResult {
  /** Unified diff of every change (a/ and b/ prefixes, for `git apply` / `patch -p1`). */
  diff: string;
  applied: PlannedFix[];
  refused: Unfixed[];
  files: string[];
}

export function applyFixes(
  fixes: readonly PlannedFix[],
  root: string,
  opts: { write: boolean },
): ApplyResult {
  const byFile = new Map<string, PlannedFix[]>();
  for (const p of fixes) (byFile.get(p.fix.file) ?? byFile.set(p.fix.file, []).get(p.fix.file)!).push(p);
  const applied: PlannedFix[] = [];
  const refused: Unfixed[] = [];
  const files: string[] = [];
  let diff = '';
  for (const [file, list] of [...byFile.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const path = join(root, file);
    let before: string;
    try {
      before = readFileSync(path, 'utf8');
    } catch {
      for (const p of list) refused.push({ finding: p.finding, reason: 'the file could not be read' });
      continue;
    }
    const ls = lineStarts(before);
    // A fix planned on lines the file no longer has (changed since the scan) is not made anywhere.
    const gone = list.filter((p) => p.fix.endLine > ls.length);
    for (const p of gone)
      refused.push({ finding: p.finding, reason: 'the file changed since it was scanned' });
    const at = (line: number, col: number) => offsetOf(ls, line, col);
    const all = list
      .filter((p) => !gone.includes(p))
      .map((p, i) => ({
        p,
        i,
        s: at(p.fix.startLine, p.fix.startColumn),
        e: at(p.fix.endLine, p.fix.endColumn),
      }));
    // The same edit twice (two findings decided by one literal) is made once; both count as fixed.
    const edits = all.filter(
      (x) =>
        all.findIndex((y) => y.s === x.s && y.e === x.e && y.p.fix.replacement === x.p.fix.replacement) ===
        x.i,
    );
    const twins = all.filter((x) => !edits.includes(x));
    // From the end backwards; inserts at one point in reverse list order, so that they read in list order.
    edits.sort((a, b) => b.s - a.s || b.e - a.e || b.i - a.i);
    let after = before;
    let floor = Infinity;
    const done: PlannedFix[] = [];
    for (const x of edits) {
      // [s, e) may end where the previous edit starts (an insert right after a changed literal)
      if (x.e > floor) {
        refused.push({ finding: x.p.finding, reason: 'another fix changes the same code' });
        continue;
      }
      after = after.slice(0, x.s) + x.p.fix.replacement + after.slice(x.e);
      floor = x.s;
      done.push(x.p);
    }
    if (done.length === 0 || after === before) continue;
    const errBefore = syntaxErrors(file, before);
    const errAfter = syntaxErrors(file, after);
    if (errBefore !== null && errAfter !== null && errAfter > errBefore) {
      for (const p of done) refused.push({ finding: p.finding, reason: 'the edit would not parse' });
      continue;
    }
    applied.push(...done);
    for (const t of twins) {
      const twin = edits.find(
        (x) => x.s === t.s && x.e === t.e && x.p.fix.replacement === t.p.fix.replacement,
      );
      if (twin && done.includes(twin.p)) applied.push(t.p);
      else refused.push({ finding: t.p.finding, reason: 'another fix changes the same code' });
    }
    files.push(file);
    diff += createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 })
      .split('\n')
      .filter((l, i) => !(i === 0 && l.startsWith('===')))
      .join('\n');
    if (opts.write) replaceFileAtomic(path, after, statSync(path).mode);
  }
  return { diff, applied, refused, files };
}
