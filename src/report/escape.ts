/**
 * Escaping for the markup formats (JUnit XML, HTML, Markdown) and the dev proxy's error page. A
 * character the format cannot carry is shown as an escape sequence, never dropped or replaced
 * silently: a lone surrogate written as UTF-8 would otherwise become U+FFFD, and a control character
 * would make an XML parser refuse the whole file.
 */

/** What XML 1.0 cannot carry at all: C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/F. */
const INVALID_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** What HTML calls a parse error in its input: those, DEL and the C1 controls. */
const INVALID_HTML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const u4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
/** The text report's notation (`\x01`), as HTML reports always had it; `\uXXXX` above U+00FF. */
const x2 = (c: string) => {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : u4(c);
};

function markup(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** XML character data (and Markdown's inline HTML): `& < >`, and what XML cannot carry as `\uXXXX`. */
export function escapeText(s: string): string {
  return markup(s.replace(INVALID_XML, u4));
}

/** An XML attribute value in either quotes; tab, LF and CR as character references (kept, not normalised). */
export function escapeAttr(s: string): string {
  return escapeText(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** HTML text and attribute values alike (`& < > " '`); controls and lone surrogates as `\x01` / `\ud800`. */
export function escapeHtml(s: string): string {
  return markup(s.replace(INVALID_HTML, x2)).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
