/**
 * A reader for PHP's INI dialect (php.ini, conf.d/*.ini, .user.ini) that keeps line numbers.
 *
 * The `ini` npm package is not used: it keeps quotes after a value followed by a comment
 * (`"A" ; x` → `"A"`), knows nothing of PHP's boolean words, adjacent-string concatenation or
 * `${VAR}`, and drops line numbers. The rules below follow php-src Zend/zend_ini_scanner.l and
 * Zend/zend_ini_parser.y (PHP 8.2) and were checked against `php -n -c file.ini` (see
 * test/scan-php/php-oracle.test.ts):
 *
 *  - `;` starts a comment anywhere outside quotes; `#` only at the start of a line.
 *  - `[section]` lines; `[HOST=...]` / `[PATH=...]` sections apply to one host or directory (CGI/FPM).
 *  - An unquoted value that is exactly true/on/yes (any case) becomes "1"; false/off/no/none/null
 *    becomes "" (so `session.cookie_samesite = None` unquoted sets an EMPTY SameSite).
 *  - `"..."` (may span lines, `\"` and `\\` are escapes, `${VAR}` expands), `'...'` raw; adjacent parts
 *    are concatenated (`"1" "2"` → "12"); unquoted text ends at `;` or the end of the line and is
 *    trimmed.
 *  - A boolean word next to anything else (`On foo`, `x yes`, `on"x"`) is a syntax error: PHP reports
 *    it and applies a truncated value; we report the value as unknown. So are constants (E_ALL).
 */

export type IniValue =
  | { kind: 'literal'; value: string; quoted: boolean }
  /** The whole value is `${VAR}` (an environment variable at PHP startup). */
  | { kind: 'env'; variable: string; expression: string }
  | { kind: 'unknown'; expression: string; reason: string };

export interface IniEntry {
  /** Section the entry is in (`PHP`, `Session`, `HOST=example.com` ...), null before any section. */
  section: string | null;
  key: string;
  value: IniValue;
  /** 1-based line and column of the key. */
  line: number;
  column: number;
  /** The line(s) of the entry, trimmed, as written. */
  text: string;
}

const BOOL_TRUE = new Set(['true', 'on', 'yes']);
const BOOL_FALSE = new Set(['false', 'off', 'no', 'none', 'null']);

/** Parse PHP ini text. Never throws; malformed lines are skipped (as PHP would reject them). */
export function parsePhpIni(text: string): IniEntry[] {
  const entries: IniEntry[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let section: string | null = null;
  if (text.charCodeAt(0) === 0xfeff) i = 1;

  const lineStartAt = (pos: number): number => {
    const nl = text.lastIndexOf('\n', pos - 1);
    return nl + 1;
  };

  while (i < n) {
    // Start of a line: skip blanks.
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= n) break;
    const c = text[i]!;
    if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      continue;
    }
    if (c === ';' || c === '#') {
      i = skipToEol(text, i);
      continue;
    }
    if (c === '[') {
      const close = text.indexOf(']', i);
      const eol = eolAt(text, i);
      if (close !== -1 && close < eol) section = text.slice(i + 1, close).trim();
      i = skipToEol(text, i);
      continue;
    }
    // key = value
    const keyStart = i;
    const keyLine = line;
    const eol = eolAt(text, i);
    const eq = text.indexOf('=', i);
    if (eq === -1 || eq > eol) {
      i = skipToEol(text, i);
      continue;
    }
    const key = text.slice(keyStart, eq).trim();
    i = eq + 1;
    const parts: Array<
      { kind: 'text' | 'quoted' | 'raw'; text: string } | { kind: 'env'; variable: string }
    > = [];
    let syntaxError = false;
    // Value scanner.
    for (;;) {
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      if (i >= n) break;
      const ch = text[i]!;
      if (ch === '\n' || ch === '\r' || ch === ';') break;
      if (ch === '"') {
        let s = '';
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
            s += text[i + 1];
            i += 2;
            continue;
          }
          if (text[i] === '$' && text[i + 1] === '{') {
            const close = text.indexOf('}', i);
            if (close !== -1) {
              if (s) parts.push({ kind: 'quoted', text: s });
              s = '';
              parts.push({ kind: 'env', variable: text.slice(i + 2, close) });
              i = close + 1;
              continue;
            }
          }
          if (text[i] === '\n') line++;
          s += text[i];
          i++;
        }
        if (i >= n) syntaxError = true; // unterminated string
        i++; // closing quote
        parts.push({ kind: 'quoted', text: s });
        continue;
      }
      if (ch === "'") {
        const close = text.indexOf("'", i + 1);
        if (close === -1) {
          syntaxError = true;
          i = skipToEol(text, i);
          break;
        }
        const raw = text.slice(i + 1, close);
        for (const _ of raw.matchAll(/\n/g)) line++;
        parts.push({ kind: 'raw', text: raw });
        i = close + 1;
        continue;
      }
      if (ch === '$' && text[i + 1] === '{') {
        const close = text.indexOf('}', i);
        if (close !== -1 && close < eolAt(text, i)) {
          parts.push({ kind: 'env', variable: text.slice(i + 2, close) });
          i = close + 1;
          continue;
        }
      }
      // Unquoted text up to a quote, `${`, `;` or the end of the line.
      let j = i;
      while (j < n) {
        const cj = text[j]!;
        if (cj === '\n' || cj === '\r' || cj === ';' || cj === '"' || cj === "'") break;
        if (cj === '$' && text[j + 1] === '{') break;
        j++;
      }
      const chunk = text.slice(i, j).replace(/[ \t]+$/, '');
      parts.push({ kind: 'text', text: chunk });
      i = j;
    }
    // A boolean word next to anything else is a parse error in PHP (`On foo`, `x yes`, `on"x"`).
    const words = parts.flatMap((p) => (p.kind === 'text' ? p.text.split(/[ \t]+/).filter(Boolean) : ['"']));
    if (
      words.length > 1 &&
      words.some((w) => BOOL_TRUE.has(w.toLowerCase()) || BOOL_FALSE.has(w.toLowerCase()))
    )
      syntaxError = true;
    const valueEnd = i;
    i = skipToEol(text, i);
    if (!key) continue;
    const written = text
      .slice(lineStartAt(keyStart), valueEnd)
      .replace(/[ \t]+$/, '')
      .trim();
    entries.push({
      section,
      key,
      value: syntaxError
        ? { kind: 'unknown', expression: written, reason: 'PHP rejects this line (ini syntax error)' }
        : toValue(parts),
      line: keyLine,
      column: keyStart - lineStartAt(keyStart) + 1,
      text: written,
    });
  }
  return entries;
}

function toValue(
  parts: Array<{ kind: 'text' | 'quoted' | 'raw'; text: string } | { kind: 'env'; variable: string }>,
): IniValue {
  const nonEmpty = parts.filter((p) => p.kind === 'env' || p.kind !== 'text' || p.text !== '');
  if (nonEmpty.length === 0) return { kind: 'literal', value: '', quoted: false };
  if (nonEmpty.length === 1) {
    const p = nonEmpty[0]!;
    if (p.kind === 'env') return { kind: 'env', variable: p.variable, expression: '${' + p.variable + '}' };
    if (p.kind === 'text') {
      const lower = p.text.toLowerCase();
      if (BOOL_TRUE.has(lower)) return { kind: 'literal', value: '1', quoted: false };
      if (BOOL_FALSE.has(lower)) return { kind: 'literal', value: '', quoted: false };
      if (/[|&^~()!]/.test(p.text)) return { kind: 'unknown', expression: p.text, reason: 'ini expression' };
      // E_ALL, PHP_VERSION ...: PHP substitutes defined constants; we do not know their values.
      if (/^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(p.text))
        return { kind: 'unknown', expression: p.text, reason: 'PHP constant' };
      return { kind: 'literal', value: p.text, quoted: false };
    }
    return { kind: 'literal', value: p.text, quoted: true };
  }
  if (nonEmpty.some((p) => p.kind === 'env')) {
    const expr = nonEmpty.map((p) => (p.kind === 'env' ? '${' + p.variable + '}' : p.text)).join('');
    return { kind: 'unknown', expression: expr, reason: 'value built from an environment variable' };
  }
  return {
    kind: 'literal',
    value: nonEmpty.map((p) => (p.kind === 'env' ? '' : p.text)).join(''),
    quoted: true,
  };
}

function eolAt(text: string, from: number): number {
  const a = text.indexOf('\n', from);
  return a === -1 ? text.length : a;
}

function skipToEol(text: string, from: number): number {
  return eolAt(text, from);
}
