/**
 * What the crawler needs from an HTML page (links to follow, subresources, forms with their action
 * and whether they hold a password field), read in one pass of parse5's tokenizer through
 * parse5-sax-parser, without building a tree.
 *
 * Why not extract.ts's extractPage: building parse5's tree was most of a crawl's CPU time (a CPU
 * profile of bench/crawl.bench.ts put tree construction at about 60%), and the crawler reads no
 * more than start tags and their attributes. The SAX parser is still a real HTML parser: it runs
 * the WHATWG tokenizer and switches it into the states the tree builder would (script data,
 * RAWTEXT, RCDATA, PLAINTEXT, foreign content's CDATA), so comments, script text, `<textarea>`
 * content and attribute values are not read as markup, exactly as with extractPage
 * (test/html/scan.test.ts checks both give the same links, subresources and forms on the same pages).
 *
 * What a tree would add and this leaves out: forms are associated by nesting (the tree builder's
 * "form element pointer": a `<form>` start tag inside an open form is ignored, `</form>` closes it),
 * not by the `form` attribute (extractPage does not follow that either). The login keeps using
 * extractPage: it needs every field's value.
 */
import { SAXParser, type StartTag } from 'parse5-sax-parser';
import {
  metaRefreshTarget,
  PASSIVE_TYPES,
  resolveUrl,
  srcsetUrls,
  withoutFragment,
  type Subresource,
  type SubresourceType,
} from './extract.js';

export interface ScannedForm {
  /** Absolute URL the form submits to (its action, or the page itself). */
  action: string;
  /** Lower-case method (`get` when absent). */
  method: string;
  hasPassword: boolean;
}

export interface ScannedPage {
  baseUrl: string;
  /** As extractPage's `links`: absolute http(s) URLs, fragments removed, document order, no duplicates. */
  links: string[];
  subresources: Subresource[];
  forms: ScannedForm[];
}

/** Tags whose start tag matters; every other start tag is passed over without reading attributes. */
const WANTED = new Set([
  'a',
  'area',
  'iframe',
  'frame',
  'script',
  'link',
  'img',
  'input',
  'audio',
  'video',
  'source',
  'track',
  'object',
  'embed',
  'meta',
  'form',
  'base',
]);

/**
 * parse5-sax-parser's SAXParser, given a whole page at once: the page goes straight to its tokenizer
 * as the last chunk (what `end(page)` does through the Transform stream's write and final steps),
 * and text is not gathered into `text` events nobody listens to. The parser's feedback simulator
 * (which switches the tokenizer's state after `<script>`, `<textarea>`, `<svg>` ...) runs as always.
 * Measured on bench/crawl.bench.ts's 13 KB pages: about a third less time per page than `end()`.
 */
class PageTokenizer extends SAXParser {
  constructor(skipText = true) {
    super();
    if (skipText) skipTextRuns(this.tokenizer as unknown as TokenizerInternals);
  }
  scan(html: string): void {
    this.tokenizer.write(html, true);
  }
  override onCharacter(): void {}
  override onWhitespaceCharacter(): void {}
  override onNullCharacter(): void {}
}

/** What skipTextRuns touches of parse5 8's tokenizer (package.json pins the version; see below). */
interface TokenizerInternals {
  state: number;
  preprocessor: { html: string; pos: number; isEol: boolean; skipNextNewLine: boolean };
  /** End of the run of input the token being built (attribute value, comment) takes whole. */
  runEnd: number;
  _stateData(cp: number): void;
  _stateRcdata(cp: number): void;
  _stateRawtext(cp: number): void;
  _stateScriptData(cp: number): void;
  _stateAttributeValueDoubleQuoted(cp: number): void;
  _stateAttributeValueSingleQuoted(cp: number): void;
  _stateComment(cp: number): void;
}

/*
 * Text is most of a page and the crawler reads none of it. In the four text states the tokenizer
 * only acts on a few characters (data: `<`, `&`, NUL; RCDATA: the same; RAWTEXT and script data:
 * `<`, NUL) and emits every other one as text, one at a time. After an ordinary character in one of
 * them, the input position is moved to just before the next character that state acts on (or a CR,
 * which the preprocessor turns into LF): the characters in between would only have been emitted as
 * text, which the scanner drops, so the tags, attributes and tokenizer states that follow are
 * exactly those of the unmodified tokenizer.
 *
 * Quoted attribute values and comments are built from runs of the input (`runStart`..`runEnd`,
 * extended one character at a time while nothing interrupts them); there the run is extended over
 * the skipped characters as well, so the value is the same string. Not after a CR (read as LF, which
 * may be followed by an LF the preprocessor drops).
 *
 * test/html/scan.test.ts compares both on generated pages built to hit the states (script escapes,
 * RCDATA, foreign content, comments, CRs, NULs, references in text and in attribute values).
 */
const SKIPS = [
  { state: 0, method: '_stateData', stop: /[<&\0\r]/g, run: false },
  { state: 1, method: '_stateRcdata', stop: /[<&\0\r]/g, run: false },
  { state: 2, method: '_stateRawtext', stop: /[<\0\r]/g, run: false },
  { state: 3, method: '_stateScriptData', stop: /[<\0\r]/g, run: false },
  { state: 35, method: '_stateAttributeValueDoubleQuoted', stop: /["&\0\r]/g, run: true },
  { state: 36, method: '_stateAttributeValueSingleQuoted', stop: /['&\0\r]/g, run: true },
  { state: 44, method: '_stateComment', stop: /[-<\0\r]/g, run: true },
] as const;

function skipTextRuns(tok: TokenizerInternals): void {
  const pre = tok.preprocessor;
  if (typeof pre?.html !== 'string' || typeof tok.runEnd !== 'number') return; // not the tokenizer we know
  for (const { state, method, stop, run } of SKIPS) {
    const original = tok[method];
    if (typeof original !== 'function') continue;
    tok[method] = function (this: TokenizerInternals, cp: number): void {
      original.call(this, cp);
      // Only after an ordinary character, while still in the same state.
      if (this.state !== state || cp < 0x20 || cp === 0x3c || cp === 0x26 || cp === 0x2d) return;
      if (run && (pre.skipNextNewLine || this.runEnd !== pre.pos + 1)) return;
      stop.lastIndex = pre.pos + 1;
      const next = stop.test(pre.html) ? stop.lastIndex - 1 : pre.html.length;
      if (next - 1 > pre.pos) {
        pre.pos = next - 1;
        pre.isEol = false;
        pre.skipNextNewLine = false;
        if (run) this.runEnd = next;
      }
    };
  }
}

function attrOf(t: StartTag, name: string): string | null {
  const attrs = t.attrs;
  for (let i = 0; i < attrs.length; i++) if (attrs[i]!.name === name) return attrs[i]!.value;
  return null;
}

/*
 * A crawl resolves the same references on page after page (the navigation, the footer, a CDN's
 * URLs). Two kinds do not depend on the page's path: an absolute http(s) URL with an authority
 * (`https://cdn.example/a.js`: the base is not used), and one that starts with a slash (`/p/3`, and
 * `//host/x` or `/\\host/x`, which name a host) depends at most on the base's scheme, credentials
 * and host, which are part of its key. Their resolutions are remembered (bounded: cleared at
 * MAX_RESOLVED entries); every other reference is resolved against its page's base.
 */
const MAX_RESOLVED = 20_000;
const resolved = new Map<string, string | null>();
const ABSOLUTE = /^https?:\/\//i;

function authorityOf(base: string): string | null {
  try {
    const u = new URL(base);
    return `${u.protocol}//${u.username}:${u.password}@${u.host}`;
  } catch {
    return null;
  }
}

function resolveRef(raw: string, base: string, authority: string | null): string | null {
  let key: string | null = null;
  if (ABSOLUTE.test(raw)) key = raw;
  else if (authority !== null && raw.charCodeAt(0) === 0x2f) key = authority + raw;
  if (key === null) return resolveUrl(raw, base);
  const known = resolved.get(key);
  if (known !== undefined) return known;
  const u = resolveUrl(raw, base);
  if (resolved.size >= MAX_RESOLVED) resolved.clear();
  resolved.set(key, u);
  return u;
}

/**
 * Every start tag (with its attributes) and end tag of a page, in order, as the scanner's tokenizer
 * reads it, with or without skipping text: for tests that compare the two.
 */
export function tagsOf(html: string, skipText = true): string[] {
  const out: string[] = [];
  const parser = new PageTokenizer(skipText);
  parser.on('startTag', (t: StartTag) => {
    out.push(
      `<${t.tagName}${t.attrs.map((a) => ` ${a.name}=${JSON.stringify(a.value)}`).join('')}${t.selfClosing ? '/' : ''}>`,
    );
  });
  parser.on('endTag', (t) => out.push(`</${t.tagName}>`));
  parser.scan(html);
  return out;
}

/** A reference as written, resolved once the base URL is known (a later `<base>` applies to it too). */
type Raw = { kind: 'link'; raw: string } | { kind: 'sub'; raw: string; type: SubresourceType };

interface RawForm {
  action: string | null;
  method: string;
  hasPassword: boolean;
}

export function scanPage(html: string, pageUrl: string, skipText = true): ScannedPage {
  const refs: Raw[] = [];
  const forms: RawForm[] = [];
  let base: string | null = null;
  let openForm: RawForm | null = null;
  const parser = new PageTokenizer(skipText);
  const link = (raw: string | null): void => {
    if (raw !== null) refs.push({ kind: 'link', raw });
  };
  const sub = (raw: string | null, type: SubresourceType): void => {
    if (raw !== null) refs.push({ kind: 'sub', raw, type });
  };
  parser.on('startTag', (t: StartTag) => {
    const tag = t.tagName;
    if (!WANTED.has(tag)) return;
    switch (tag) {
      case 'a':
      case 'area':
        link(attrOf(t, 'href'));
        break;
      case 'iframe':
      case 'frame': {
        const src = attrOf(t, 'src');
        link(src);
        sub(src, tag);
        break;
      }
      case 'script':
        sub(attrOf(t, 'src'), 'script');
        break;
      case 'link': {
        const rel = (attrOf(t, 'rel') ?? '').toLowerCase().split(/\s+/);
        const href = attrOf(t, 'href');
        if (rel.includes('stylesheet')) sub(href, 'stylesheet');
        else if (rel.includes('icon')) sub(href, 'icon');
        else if (rel.includes('preload') || rel.includes('modulepreload')) {
          const as = (attrOf(t, 'as') ?? '').toLowerCase();
          sub(href, as === 'image' ? 'img' : as === 'audio' || as === 'video' ? as : 'preload');
        }
        break;
      }
      case 'img':
        sub(attrOf(t, 'src'), 'img');
        for (const u of srcsetUrls(attrOf(t, 'srcset') ?? '')) sub(u, 'img');
        break;
      case 'input': {
        const type = (attrOf(t, 'type') ?? '').trim().toLowerCase();
        if (type === 'image') sub(attrOf(t, 'src'), 'img');
        // extract.ts's formOf counts named password inputs only (unnamed ones are not submitted).
        if (type === 'password' && openForm !== null && attrOf(t, 'name')) openForm.hasPassword = true;
        break;
      }
      case 'audio':
      case 'video':
        sub(attrOf(t, 'src'), tag);
        if (tag === 'video') sub(attrOf(t, 'poster'), 'img');
        break;
      case 'source':
        sub(attrOf(t, 'src'), 'source');
        for (const u of srcsetUrls(attrOf(t, 'srcset') ?? '')) sub(u, 'source');
        break;
      case 'track':
        sub(attrOf(t, 'src'), 'track');
        break;
      case 'object':
        sub(attrOf(t, 'data'), 'object');
        break;
      case 'embed':
        sub(attrOf(t, 'src'), 'embed');
        break;
      case 'meta':
        if ((attrOf(t, 'http-equiv') ?? '').toLowerCase() === 'refresh')
          link(metaRefreshTarget(attrOf(t, 'content') ?? ''));
        break;
      case 'base':
        // The first base element with an href sets the document's base URL (HTML "the base element").
        if (base === null) base = attrOf(t, 'href');
        break;
      case 'form':
        // HTML tree construction: a form start tag while a form is open is ignored.
        if (openForm === null) {
          openForm = {
            action: attrOf(t, 'action'),
            method: (attrOf(t, 'method') ?? 'get').trim().toLowerCase() || 'get',
            hasPassword: false,
          };
          forms.push(openForm);
        }
        break;
    }
  });
  parser.on('endTag', (t) => {
    if (t.tagName === 'form') openForm = null;
  });
  parser.scan(html);

  const baseUrl = (base !== null && resolveUrl(base, pageUrl)) || pageUrl;
  const links: string[] = [];
  const seenLinks = new Set<string>();
  const subresources: Subresource[] = [];
  const seenSub = new Set<string>();
  const authority = authorityOf(baseUrl);
  for (const r of refs) {
    const u = resolveRef(r.raw, baseUrl, authority);
    if (u === null) continue;
    if (r.kind === 'link') {
      const href = withoutFragment(u);
      if (seenLinks.has(href)) continue;
      seenLinks.add(href);
      links.push(href);
    } else {
      const key = `${r.type} ${u}`;
      if (seenSub.has(key)) continue;
      seenSub.add(key);
      subresources.push({ url: u, type: r.type, active: !PASSIVE_TYPES.has(r.type) });
    }
  }
  const formBase = withoutFragment(baseUrl);
  return {
    baseUrl,
    links,
    subresources,
    forms: forms.map((f) => ({
      action: withoutFragment(resolveUrl(f.action, formBase) ?? formBase),
      method: f.method,
      hasPassword: f.hasPassword,
    })),
  };
}
