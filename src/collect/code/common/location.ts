/**
 * Locations and excerpts shared by every extractor.
 *
 * ast-grep positions are 0-based lines and 0-based columns counted in UTF-16 code units of the text
 * that was parsed (checked on @ast-grep/napi 0.51: `é` counts 1, an emoji 2), which is what SARIF's
 * default `columnKind: utf16CodeUnits` and JavaScript string indices use. Reports are 1-based.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeLocation } from '../../../model/observation.js';

/** 1-based location of an ast-grep node (start and end) in `file` (relative to the scanned root). */
export function locationOf(node: SgNode, file: string): CodeLocation {
  const r = node.range();
  return {
    file,
    line: r.start.line + 1,
    column: r.start.column + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.column + 1,
  };
}

/** 1-based location of a character offset (a JavaScript string index) in `text`. */
export function locationAtOffset(text: string, offset: number, file: string): CodeLocation {
  const starts = lineStarts(text);
  const i = lineIndexOf(starts, offset);
  return { file, line: i + 1, column: offset - starts[i] + 1 };
}

/** Longest line kept in an excerpt or an evidence string before it is cut with `…`. */
export const MAX_EXCERPT_LINE = 200;

/**
 * The lines around `line` (1-based), `context` lines before and after, without trailing blanks; long
 * lines (minified code) are cut. Returns '' when `line` is outside the text.
 */
export function snippetAt(text: string, line: number, context = 1): string {
  return excerptLines(text, line, context)
    .map((l) => l.text)
    .join('\n');
}

/** Same as {@link snippetAt}, one entry per line with its 1-based number (for reporters that number lines). */
export function excerptLines(text: string, line: number, context = 1): { line: number; text: string }[] {
  const starts = lineStarts(text);
  if (!Number.isInteger(line) || line < 1 || line > starts.length) return [];
  const first = Math.max(1, line - context);
  const last = Math.min(starts.length, line + context);
  const out: { line: number; text: string }[] = [];
  for (let n = first; n <= last; n++) {
    const start = starts[n - 1];
    const end = n < starts.length ? starts[n] : text.length;
    out.push({
      line: n,
      text: cut(
        text
          .slice(start, end)
          .replace(/\r?\n$/, '')
          .trimEnd(),
      ),
    });
  }
  // Leading and trailing blank lines of the context say nothing.
  while (out.length > 1 && out[0].line !== line && out[0].text.trim() === '') out.shift();
  while (out.length > 1 && out[out.length - 1].line !== line && out[out.length - 1].text.trim() === '')
    out.pop();
  return out;
}

/** A node's source text on one line (whitespace runs collapsed), cut at {@link MAX_EXCERPT_LINE}: the `evidence` of a fact. */
export function evidenceOf(node: SgNode | string): string {
  const text = typeof node === 'string' ? node : node.text();
  return cut(text.replace(/\s+/g, ' ').trim());
}

/**
 * The text of `node` with the text of some of its descendants (cookie values, secrets) replaced by
 * `<redacted>`, by their position in the node: the same text elsewhere in the node (a cookie's name
 * that contains the value's text) is kept. Nodes outside `node` are left out; overlapping ones are
 * hidden as one. Raw text: callers put it on one line ({@link redactedEvidence}).
 */
export function redactedText(node: SgNode, hide: (SgNode | null | undefined)[]): string {
  const base = node.range().start.index;
  const text = node.text();
  const spans = hide
    .filter((h): h is SgNode => !!h)
    .map((h) => [h.range().start.index - base, h.range().end.index - base] as [number, number])
    .filter(([s, e]) => s >= 0 && e <= text.length)
    .sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]![0];
    let e = spans[i]![1];
    while (i + 1 < spans.length && spans[i + 1]![0] < e) e = Math.max(e, spans[++i]![1]);
    out += text.slice(at, s) + '<redacted>';
    at = e;
  }
  return out + text.slice(at);
}

/** {@link evidenceOf} of `node` with the text of the `hide` nodes replaced by `<redacted>` ({@link redactedText}). */
export function redactedEvidence(node: SgNode, hide: (SgNode | null | undefined)[]): string {
  return evidenceOf(redactedText(node, hide));
}

function cut(s: string): string {
  return s.length > MAX_EXCERPT_LINE ? s.slice(0, MAX_EXCERPT_LINE - 1) + '…' : s;
}

// One-entry cache: an extractor asks for many excerpts of the same file in a row.
let cachedText: string | null = null;
let cachedStarts: number[] = [0];

/** Offsets at which each line starts (line 1 at index 0). */
function lineStarts(text: string): number[] {
  if (text === cachedText) return cachedStarts;
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  // A final newline does not open a line of its own.
  if (starts.length > 1 && starts[starts.length - 1] === text.length) starts.pop();
  cachedText = text;
  cachedStarts = starts;
  return starts;
}

function lineIndexOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
