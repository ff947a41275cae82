/**
 * Reads a cookie string written in code (`res.setHeader('Set-Cookie', 'sid=' + id + '; HttpOnly')`,
 * `document.cookie = \`theme=${t}; path=/\``) whose parts may be computed. Literal parts are split the way
 * a browser splits a Set-Cookie line (draft-ietf-httpbis-rfc6265bis section 5.6: name-value pair up to the
 * first ';', then ';'-separated attributes whose names are matched case-insensitively); a computed part
 * that stands for whole attributes makes the attribute list open (unknown), a computed part inside a value
 * only makes that value unknown.
 */
import type { StrPart } from './context.js';

export interface CookieStringAttr {
  /** Attribute value; null when the attribute has no '=' (Secure, HttpOnly); undefined when computed. */
  value: string | null | undefined;
}

export interface ParsedCookieString {
  name: string;
  nameLiteral: boolean;
  /** True when the value is literally empty (deletions). */
  emptyValue: boolean;
  /** Lower-cased attribute name -> value (the last occurrence wins, as in browsers). */
  attrs: Map<string, CookieStringAttr>;
  /** Why attributes not listed may be present (a computed part standing for attributes), or null. */
  open: string | null;
}

const HOLE = '\uE000';

export function parseCookieString(parts: StrPart[]): ParsedCookieString | null {
  const holes: string[] = [];
  let text = '';
  for (const p of parts) {
    if ('s' in p) text += p.s.replaceAll(HOLE, '');
    else {
      text += `${HOLE}${holes.length}${HOLE}`;
      holes.push(p.hole);
    }
  }
  const segments = text.split(';');
  const first = segments[0];
  const eq = first.indexOf('=');
  if (eq < 0 && !first.includes(HOLE)) return null;
  const rawName = (eq < 0 ? first : first.slice(0, eq)).trim();
  const rawValue = eq < 0 ? '' : first.slice(eq + 1).trim();
  const showHoles = (s: string) =>
    s.replace(new RegExp(`${HOLE}(\\d+)${HOLE}`, 'g'), (_, i) => `<${holes[Number(i)]}>`);
  const attrs = new Map<string, CookieStringAttr>();
  let open: string | null = null;
  // `name + '=' + value + options` where the hole swallowed the ';': the first segment ends in a hole
  if (eq < 0) open = `computed cookie string ${showHoles(first.trim())}`;
  else {
    // `name + '=' + value + expires + '; path=/'`: a second computed part after the value, or one named
    // like attributes, may carry '; Secure' and friends
    const valueHoles = [...rawValue.matchAll(/\uE000(\d+)\uE000/g)].map((m) => holes[Number(m[1])]);
    if (
      valueHoles.length > 1 ||
      valueHoles.some((h) => /expire|option|attr|secure|same|domain|path|flag|suffix|param/i.test(h))
    )
      open = `computed parts after the value ${showHoles(rawValue)}`;
  }
  for (const seg of segments.slice(1)) {
    const s = seg.trim();
    if (s === '') continue;
    const i = s.indexOf('=');
    const an = (i < 0 ? s : s.slice(0, i)).trim();
    if (an.includes(HOLE)) {
      open = `computed attributes ${showHoles(s)}`;
      continue;
    }
    const av = i < 0 ? null : s.slice(i + 1).trim();
    attrs.set(an.toLowerCase(), { value: av !== null && av.includes(HOLE) ? undefined : av });
  }
  return {
    name: showHoles(rawName),
    nameLiteral: !rawName.includes(HOLE),
    emptyValue: rawValue === '' || rawValue === '""',
    attrs,
    open,
  };
}
