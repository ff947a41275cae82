/**
 * Apache configuration directives (.htaccess) as Apache reads them, for mod_php's `php_flag` and
 * `php_value`.
 *
 * Apache (server/util.c ap_cfg_getline / ap_getword_conf, 2.4): a line whose first non-blank
 * character is `#` is a comment (there are no trailing comments); a backslash at the end of a line
 * continues it; arguments are separated by blanks and may be quoted with "..." or '...', inside
 * which a backslash escapes the quote character. `<Section arg>` ... `</Section>` nest.
 *
 * mod_php (php-src sapi/apache2handler/apache_config.c, PHP 8.2): `php_flag NAME VALUE` stores "1"
 * only when VALUE is "On" (any case) or exactly "1", anything else "0" (so `php_flag x yes` is OFF);
 * `php_value NAME VALUE` passes VALUE through, except "none" (any case) which becomes "". Both take
 * exactly two arguments. `php_admin_*` are not allowed in .htaccess.
 */

export interface ApacheArg {
  text: string;
  line: number;
  column: number;
}

export interface ApacheDirective {
  name: string;
  args: ApacheArg[];
  line: number;
  column: number;
  /** Enclosing sections, outermost first, as written: `<IfModule mod_php.c>`. */
  sections: string[];
  /** The directive's line(s) as written, trimmed. */
  text: string;
}

/** Tokenise Apache directives. Never throws. */
export function parseApacheConfig(text: string): ApacheDirective[] {
  const out: ApacheDirective[] = [];
  const raw = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const sections: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const startLine = i + 1;
    const pieces: string[] = [];
    // Continuation lines: a trailing backslash joins the next line.
    let cur = raw[i]!;
    while (/\\\s*$/.test(cur) && i + 1 < raw.length) {
      pieces.push(cur.replace(/\\\s*$/, ''));
      i++;
      cur = raw[i]!;
    }
    pieces.push(cur);
    const line = pieces.join(' ');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed.startsWith('</')) {
      sections.pop();
      continue;
    }
    if (trimmed.startsWith('<')) {
      sections.push(trimmed.replace(/>\s*$/, '>'));
      continue;
    }
    // Tokens with positions (positions are exact for single-line directives).
    const tokens: ApacheArg[] = [];
    const src = line;
    let j = 0;
    while (j < src.length) {
      while (j < src.length && /\s/.test(src[j]!)) j++;
      if (j >= src.length) break;
      const start = j;
      const q = src[j];
      let value = '';
      if (q === '"' || q === "'") {
        j++;
        while (j < src.length && src[j] !== q) {
          if (src[j] === '\\' && src[j + 1] === q) {
            value += q;
            j += 2;
            continue;
          }
          value += src[j];
          j++;
        }
        j++; // closing quote
      } else {
        while (j < src.length && !/\s/.test(src[j]!)) {
          value += src[j];
          j++;
        }
      }
      tokens.push({ text: value, line: startLine, column: start + 1 });
    }
    const [name, ...args] = tokens;
    if (!name) continue;
    out.push({
      name: name.text,
      args,
      line: startLine,
      column: name.column,
      sections: [...sections],
      text: trimmed.replace(/\s+/g, ' '),
    });
  }
  return out;
}

/** The ini value mod_php stores for `php_flag` / `php_value`, or null when the directive is invalid. */
export function modPhpValue(directive: string, args: ApacheArg[]): string | null {
  if (args.length !== 2) return null;
  const v = args[1]!.text;
  const d = directive.toLowerCase();
  if (d === 'php_flag' || d === 'php_admin_flag') return v.toLowerCase() === 'on' || v === '1' ? '1' : '0';
  if (d === 'php_value' || d === 'php_admin_value') return v.toLowerCase() === 'none' ? '' : v;
  return null;
}

/** Does a section stack keep mod_php directives from applying? `<IfModule !mod_php.c>` does. */
export function sectionsExcludePhp(sections: readonly string[]): boolean {
  for (const s of sections) {
    const m = /^<ifmodule\s+(!?)\s*([^>\s]+)/i.exec(s);
    if (m && m[1] === '!' && /php/i.test(m[2]!)) return true;
  }
  return false;
}
