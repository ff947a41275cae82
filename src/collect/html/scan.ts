/**
 * What the crawler needs from an HTML page (links to follow, subresources, forms with their action
 * and whether they hold a password field), read in one pass of parse5's tokenizer driven by
 * parse5-sax-parser's parser-feedback simulator, without building a tree; text is passed over and
 * plain tags are read whole, checked against the unmodified SAXParser (see below).
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
import { decodeHTMLAttribute } from 'entities/decode';
import { html as parse5Html, Token as parse5Token, TokenizerMode } from 'parse5';
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

/** The end tags the scanner reads. */
const FORM_END: ReadonlySet<string> = new Set(['form']);

/** A start or end tag as the tokenizer emits it (after the parser-feedback simulator's adjustments). */
interface TagToken {
  tagName: string;
  attrs: { name: string; value: string }[];
  selfClosing: boolean;
}

/** A start tag as a sink reads it (valid during the sink's call only). */
interface StartTagView {
  readonly tagName: string;
  readonly selfClosing: boolean;
  /** The value of the attribute named `name` (lower case), null when absent (a repeated name: the first). */
  attr(name: string): string | null;
  /** Every attribute, in order, repeated names dropped (as the tokenizer drops them). */
  attrs(): { name: string; value: string }[];
}

/** A StartTagView of a token the tokenizer emitted (reused: set `token` before each call). */
class TokenView implements StartTagView {
  token: TagToken = { tagName: '', attrs: [], selfClosing: false };
  get tagName(): string {
    return this.token.tagName;
  }
  get selfClosing(): boolean {
    return this.token.selfClosing;
  }
  attr(name: string): string | null {
    const attrs = this.token.attrs;
    for (let i = 0; i < attrs.length; i++) if (attrs[i]!.name === name) return attrs[i]!.value;
    return null;
  }
  attrs(): { name: string; value: string }[] {
    return this.token.attrs;
  }
  of(token: TagToken): this {
    this.token = token;
    return this;
  }
}

/** Where a page's tags go. */
interface TagSink {
  start(t: StartTagView): void;
  end(tagName: string): void;
  /**
   * The start tags the sink reads, with their attributes (absent: all). The fast reading may pass
   * others over, or give them no attributes, where nothing else would read them either.
   */
  attributesOf?: ReadonlySet<string>;
  /** The end tags the sink reads (absent: all); the fast reading may pass others over. */
  endsOf?: ReadonlySet<string>;
}

/**
 * The reference reading: parse5-sax-parser's SAXParser as it is, given the whole page. The tests
 * compare the fast reading (below) with it.
 */
class ReferenceTokenizer extends SAXParser {
  constructor(sink: TagSink) {
    super();
    const view = new TokenView();
    this.on('startTag', (t: StartTag) => sink.start(view.of(t)));
    this.on('endTag', (t: TagToken) => sink.end(t.tagName));
  }
  /** The page straight to the tokenizer as its last chunk (what end(page) does, without the stream's ticks). */
  scan(html: string): void {
    this.tokenizer.write(html, true);
  }
  /** parse5-sax-parser's ParserFeedbackSimulator class (the package does not export it). */
  simulatorClass(): SimulatorClass {
    return this.parserFeedbackSimulator.constructor as unknown as SimulatorClass;
  }
}

/** What fastTokenizer uses of parse5-sax-parser's ParserFeedbackSimulator. */
type SimulatorClass = new (
  options: { sourceCodeLocationInfo: boolean },
  handler: SimulatorHandler,
) => SimulatorInternals;

/** The simulator's state that a passed-over tag changes (parse5-sax-parser 8's ParserFeedbackSimulator). */
interface SimulatorInternals {
  tokenizer: TokenizerInternals;
  /** The tag that opened each namespace frame ('' for the document's). */
  frameTags: string[];
  /** Whether the current node is the element that opened the last frame (and how many below). */
  directFrames: number;
}

interface SimulatorHandler {
  onStartTag(t: TagToken): void;
  onEndTag(t: TagToken): void;
  onCharacter(): void;
  onNullCharacter(): void;
  onWhitespaceCharacter(): void;
  onComment(): void;
  onDoctype(): void;
  onEof(): void;
}

let simulatorClass: SimulatorClass | null | undefined;

/**
 * The fast reading: the tokenizer driven by the same parser-feedback simulator SAXParser uses (which
 * switches the tokenizer's state after `<script>`, `<textarea>`, `<svg>` ... as tree construction
 * would), without SAXParser itself: a SAXParser is a Transform stream piped into another stream,
 * built per page, and hands each tag through an event emitter as a copied object. Text runs are
 * skipped and plain tags read whole (speedUp, PlainTagReader). Null when the package is not
 * the one this was written against: the reference reading is used.
 */
function fastTokenizer(sink: TagSink): TokenizerInternals | null {
  if (simulatorClass === undefined) {
    const probe = new ReferenceTokenizer({ start() {}, end() {} });
    const cls = probe.simulatorClass();
    simulatorClass = typeof cls === 'function' ? cls : null;
  }
  if (simulatorClass === null) return null;
  const none = (): void => {};
  const view = new TokenView();
  const sim = new simulatorClass(
    { sourceCodeLocationInfo: false },
    {
      onStartTag: (t) => sink.start(view.of(t)),
      onEndTag: (t) => sink.end(t.tagName),
      onCharacter: none,
      onNullCharacter: none,
      onWhitespaceCharacter: none,
      onComment: none,
      onDoctype: none,
      onEof: none,
    },
  );
  const tok = sim.tokenizer;
  return speedUp(tok, sim, sink) ? tok : null;
}

/**
 * Whether the fast reading is in use (false: parse5 is not the version it was written against, and
 * every page is read the reference way). For the tests, which compare the two.
 */
export function readsFast(): boolean {
  return fastTokenizer({ start() {}, end() {} }) !== null;
}

/** Read `html`'s tags into `sink`, the fast way or (fast = false) with the unmodified SAXParser. */
function readTags(html: string, sink: TagSink, fast: boolean): void {
  const tok = fast ? fastTokenizer(sink) : null;
  if (tok !== null) tok.write(html, true);
  else new ReferenceTokenizer(sink).scan(html);
}

/** What speedUp touches of parse5 8's tokenizer (package.json pins the version; see below). */
interface TokenizerInternals {
  state: number;
  /** The simulator's: the current node is in foreign content (SVG, MathML). */
  inForeignNode: boolean;
  preprocessor: { html: string; pos: number; isEol: boolean; skipNextNewLine: boolean };
  options: { sourceCodeLocationInfo?: boolean };
  /** End of the run of input the token being built (attribute value, comment) takes whole. */
  runEnd: number;
  currentToken: (TagToken & { type: number; tagID: number }) | null;
  /** The name of the last start tag emitted (RCDATA, RAWTEXT and script data end on its end tag). */
  lastStartTagName: string;
  write(html: string, isLastChunk: boolean): void;
  _flushRun(text: string): void;
  emitCurrentTagToken(): void;
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
 * `<`, NUL) and emits every other one as text, one at a time. An ordinary character in one of them
 * is not emitted, and the input position moves to just before the next character that state acts
 * on (or a CR, which the preprocessor turns into LF): those characters would only have been emitted
 * as text, which the scanner drops, so the tags, attributes and tokenizer states that follow are
 * exactly those of the unmodified tokenizer. In the data state the next one is found with indexOf
 * (PlainTagReader.readOn), and a tag there is read by the reader when it is plain.
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

/** The tokenizer's DATA state (parse5 8). */
const DATA = 0;

/** Moves the input position to just before the next character `stop` matches (or the end); true when it moved. */
function skipTo(stop: RegExp, pre: TokenizerInternals['preprocessor']): boolean {
  stop.lastIndex = pre.pos + 1;
  const next = stop.test(pre.html) ? stop.lastIndex - 1 : pre.html.length;
  if (next - 1 <= pre.pos) return false;
  pre.pos = next - 1;
  pre.isEol = false;
  pre.skipNextNewLine = false;
  return true;
}

/**
 * The tokenizer's state methods of SKIPS, each with its replacement (made once, from the first
 * tokenizer's class, and shared: a page's tokenizer gets them as own properties, with its reader).
 */
let replacements: { method: (typeof SKIPS)[number]['method']; fn: (cp: number) => void }[] | null | undefined;

type FastTokenizer = TokenizerInternals & { reader: PlainTagReader };

function replacementsFor(tok: TokenizerInternals): typeof replacements {
  // The text states' numbers, as parse5 exports them (the others are the pinned version's).
  const m = TokenizerMode;
  if (m.DATA !== 0 || m.RCDATA !== 1 || m.RAWTEXT !== 2 || m.SCRIPT_DATA !== 3) return null;
  const proto = Object.getPrototypeOf(tok) as TokenizerInternals;
  const out: NonNullable<typeof replacements> = [];
  for (const { state, method, stop, run } of SKIPS) {
    const original = proto[method];
    if (typeof original !== 'function') return null;
    const fn = function (this: FastTokenizer, cp: number): void {
      const pre = this.preprocessor;
      if (state === DATA) {
        // A tag in text, read whole when it is plain, or text: then on to the next tag.
        if (cp === 0x3c ? this.reader.read() : cp > 0 && cp !== 0x26) {
          this.reader.readOn(original);
          return;
        }
      } else if (!run && cp > 0 && cp !== 0x3c && cp !== 0x26) {
        // Text: the character would only be emitted, and the ones up to the next the state acts on.
        skipTo(stop, pre);
        return;
      }
      original.call(this, cp);
      // In a value or a comment, after an ordinary character, while still in the same state.
      if (!run || this.state !== state || cp < 0x20 || cp === 0x3c || cp === 0x26 || cp === 0x2d) return;
      if (pre.skipNextNewLine || this.runEnd !== pre.pos + 1) return;
      if (skipTo(stop, pre)) this.runEnd = pre.pos + 1;
    };
    out.push({ method, fn });
  }
  return out;
}

/** Installs the text skips and plain-tag reading; false when the tokenizer is not the one known. */
function speedUp(tok: TokenizerInternals, sim: SimulatorInternals, sink: TagSink): boolean {
  const pre = tok.preprocessor;
  if (
    typeof pre?.html !== 'string' ||
    typeof tok.runEnd !== 'number' ||
    tok.state !== DATA ||
    tok.options?.sourceCodeLocationInfo ||
    typeof tok.emitCurrentTagToken !== 'function' ||
    typeof tok._flushRun !== 'function' ||
    typeof tok.inForeignNode !== 'boolean'
  )
    return false;
  if (replacements === undefined) replacements = replacementsFor(tok);
  const methods = replacements;
  if (!methods) return false;
  const fast = tok as FastTokenizer;
  fast.reader = new PlainTagReader(tok, passOver(sim) ? sim : null, sink);
  for (const { method, fn } of methods) fast[method] = fn;
  return true;
}

/*
 * Plain tags, read whole. Most of a page's markup is tags like `<a href="/p/3" class="x">`, which the
 * tokenizer reads one character at a time through half a dozen states. When the `<` in the data
 * state starts a tag of the plain form below, the tag is read here in one pass over its characters
 * (in SVG and MathML with all its attributes, which the simulator may adjust or read). A tag that changes no parser state (see passOver) is then passed over:
 * what emitting it would change is set directly, and the sink gets it only if it reads it, with
 * its attributes read where they are in the page. Any other plain tag is emitted through the
 * tokenizer's own token methods (so the simulator sees it, switches states after `<script>`, and
 * the last start tag is remembered for RCDATA/RAWTEXT end tags, as always). A tag that is not
 * plain is left to the tokenizer, character by character, from the `<` on.
 *
 * The plain form, where the tokenizer's outcome is simple (HTML "tag name state" to "after
 * attribute value (quoted) state"): a start tag `<` ASCII letter, or an end tag `</` ASCII letter
 * with nothing but whitespace before its `>`; names of printable ASCII other than `"'/<=>&`
 * (lower-cased, as the tokenizer lower-cases ASCII letters); each attribute preceded by whitespace,
 * its value double-quoted, single-quoted or unquoted, without NUL or CR (the preprocessor's
 * line-ending rules), and, unquoted, without the characters the tokenizer flags (`"'<=\``); a
 * value's character references are decoded when it is read; then optional whitespace, an optional `/`
 * (self-closing) and `>`. A later attribute with the name of an earlier one is dropped, as the
 * tokenizer drops it. Whitespace is TAB, LF, FF, SPACE and CR (read as LF; CR LF as one LF). In a tag whose attributes nobody reads,
 * a quoted value may hold anything but its quote: what the tokenizer would make of a reference,
 * NUL or CR in it changes that value only (none of them can end it). (Surrogates only move the
 * preprocessor's column count and the gaps it steps back over, never back into a tag read.)
 */
/** Characters of a plain name: printable ASCII other than `"&'/<=>` (1), and ASCII upper-case letters (2). */
const NAME = new Uint8Array(128);
for (let c = 0x21; c < 0x7f; c++) if (!'"&\'/<=>'.includes(String.fromCharCode(c))) NAME[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) NAME[c] = 2;
/** Characters that end a plain unquoted value or make a tag not plain there (whitespace, `"'<=>\``, NUL, CR). */
const UNQUOTED_STOP = new Uint8Array(128);
for (const ch of '\t\n\f \0\r"\'<=>`') UNQUOTED_STOP[ch.charCodeAt(0)] = 1;

/** Whitespace in a tag: TAB, LF, FF, SPACE, and CR (the preprocessor reads CR and CR LF as one LF). */
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d;

/** A name's hash (of its UTF-16 units): nameEnd computes it as it reads, KNOWN is keyed by it. */
function hashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

/**
 * The end of the name starting at `from` (whose first character is a name character); sets
 * nameUpper when the name holds an upper-case letter, and nameHash.
 */
function nameEnd(html: string, from: number): number {
  let i = from;
  let kinds = 0;
  let h = 0;
  for (; i < html.length; i++) {
    const c = html.charCodeAt(i);
    const k = c < 128 ? NAME[c]! : 0;
    if (k === 0) break;
    kinds |= k;
    h = hashStep(h, c);
  }
  nameUpper = (kinds & 2) !== 0;
  nameHash = h;
  return i;
}
let nameUpper = false;
let nameHash = 0;

/**
 * HTML's element names (parse5's list, and the scanner's), in an open-addressed table by hash: a tag's name is taken
 * from here when it is one of them, rather than cut from the page (most tags of a page have one of
 * a few dozen names; getTagID and the sets below look a remembered string up faster), and its
 * index keys what the reader knows about it.
 */
const KNOWN: string[] = [...new Set([...(Object.values(parse5Html.TAG_NAMES) as string[]), ...WANTED])];
const KNOWN_SLOTS = 1024;
/** Slot -> index in KNOWN + 1 (0: empty). */
const knownSlots = new Int16Array(KNOWN_SLOTS);
const knownIndex = new Map<string, number>();
KNOWN.forEach((name, index) => {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = hashStep(h, name.charCodeAt(i));
  let slot = h & (KNOWN_SLOTS - 1);
  while (knownSlots[slot] !== 0) slot = (slot + 1) & (KNOWN_SLOTS - 1);
  knownSlots[slot] = index + 1;
  knownIndex.set(name, index);
});

/** The index in KNOWN of the lower-case name html[from, to) of hash `h`, or -1. */
function knownAt(html: string, from: number, to: number, h: number): number {
  for (let slot = h & (KNOWN_SLOTS - 1); ; slot = (slot + 1) & (KNOWN_SLOTS - 1)) {
    const e = knownSlots[slot]!;
    if (e === 0) return -1;
    const name = KNOWN[e - 1]!;
    if (name.length === to - from && sameAt(html, from, name)) return e - 1;
  }
}

/** html holds `name` at `from` (a compare of a few characters, without a call into the runtime). */
function sameAt(html: string, from: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) if (html.charCodeAt(from + k) !== name.charCodeAt(k)) return false;
  return true;
}

/** The token a plain tag is emitted with (reused: nothing keeps a token after its handler). */
type Token = TagToken & { type: number; tagID: number; ackSelfClosing: boolean; location: null };
const { START_TAG, END_TAG } = parse5Token.TokenType;
/** Besides `<`, the characters the data state acts on (and CR, which the preprocessor reads as LF). */
const STOP_CHARS = ['&', '\0', '\r'] as const;
/** The attributes of a tag whose attributes nobody reads (frozen: a handler that adds one throws). */
const NO_ATTRIBUTES = Object.freeze([]) as unknown as TagToken['attrs'];

/**
 * Start and end tags that change the simulator's or the tokenizer's state beyond what a passed-over
 * tag does (ParserFeedbackSimulator.onStartTag / onEndTag): namespaces (svg, math, and MathML's
 * mglyph / malignmark), tokenizer states (RCDATA, RAWTEXT, script data, PLAINTEXT), the newline
 * dropped after pre / textarea / listing, image read as img.
 */
const STATEFUL = new Set([
  'svg',
  'math',
  'mglyph',
  'malignmark',
  'textarea',
  'title',
  'plaintext',
  'script',
  'style',
  'iframe',
  'xmp',
  'noembed',
  'noframes',
  'noscript',
  'pre',
  'listing',
  'image',
]);

/** KNOWN index -> 1 when the name is in STATEFUL. */
const STATEFUL_AT = new Uint8Array(KNOWN.length);
for (const name of STATEFUL) {
  const index = knownIndex.get(name);
  if (index !== undefined) STATEFUL_AT[index] = 1;
}

/**
 * KNOWN index -> 1 when a sink's set holds the name (absent set: every name), made once per set.
 * (`image` counts as `img`: tree construction reads an image start tag as img, and so does the
 * simulator.)
 */
function flagsOf(set: ReadonlySet<string> | null): Uint8Array {
  const key = set ?? EVERY;
  let flags = flagSets.get(key);
  if (flags === undefined) {
    flags = new Uint8Array(KNOWN.length);
    for (let i = 0; i < KNOWN.length; i++) {
      const name = KNOWN[i] === 'image' ? 'img' : KNOWN[i]!;
      flags[i] = set === null || set.has(name) ? 1 : 0;
    }
    flagSets.set(key, flags);
  }
  return flags;
}
const EVERY: ReadonlySet<string> = new Set();
const flagSets = new WeakMap<ReadonlySet<string>, Uint8Array>();

/**
 * Whether tags may be passed over with this simulator: it has the state PlainTagReader sets. In HTML
 * content with only the document's namespace frame open (no SVG or MathML element is open, so no
 * integration point either), a tag not in STATEFUL changes three things when emitted: the
 * simulator's directFrames (to 0), the tokenizer's last start tag name (a start tag), and the
 * handler's view. The rest of what emitting does is for text (the pending text token is flushed
 * to a handler that drops it) and for input kept in memory (parse5 drops the input read so far
 * past 64 KiB; kept, it is only memory). A passed-over tag sets the first two itself and goes to
 * the sink only if the sink reads it.
 */
function passOver(sim: SimulatorInternals): boolean {
  return (
    Array.isArray(sim.frameTags) &&
    typeof sim.directFrames === 'number' &&
    typeof sim.tokenizer.lastStartTagName === 'string'
  );
}

class PlainTagReader implements StartTagView {
  private readonly token: Token = {
    type: START_TAG,
    tagName: '',
    tagID: 0,
    selfClosing: false,
    ackSelfClosing: false,
    attrs: NO_ATTRIBUTES,
    location: null,
  };

  /**
   * The attributes of the tag being read, as positions in `html` (reused from tag to tag): for the
   * k-th, name from/to, value from/to, and flags (1: the name has upper case; 2: the value holds a
   * reference), at 5k .. 5k + 4.
   */
  private readonly at: number[] = [];
  private count = 0;
  private html = '';
  tagName = '';
  selfClosing = false;

  private readonly attributesOf: ReadonlySet<string> | null;
  private readonly endsOf: ReadonlySet<string> | null;
  /** flagsOf(attributesOf), flagsOf(endsOf). */
  private readonly startFlags: Uint8Array;
  private readonly endFlags: Uint8Array;
  /** The names in endsOf (null: every name). */
  private readonly endNames: string[] | null;

  constructor(
    private readonly tok: TokenizerInternals,
    /** The simulator, when tags may be passed over (passOver), else null. */
    private readonly sim: SimulatorInternals | null,
    private readonly sink: TagSink,
  ) {
    this.attributesOf = sink.attributesOf ?? null;
    this.endsOf = sink.endsOf ?? null;
    this.startFlags = flagsOf(this.attributesOf);
    this.endFlags = flagsOf(this.endsOf);
    this.endNames = this.endsOf === null ? null : [...this.endsOf];
  }

  /**
   * From the input position on, while the tokenizer stays in the data state: text is passed over
   * up to the next character the data state acts on, and a tag there
   * is read whole when it is plain; anything else (a reference, NUL, CR, a tag that is not plain, a
   * state change) is left to the tokenizer, which goes on from there. `dataState` is the
   * tokenizer's own data-state method (a `<` it is given opens a tag).
   */
  readOn(dataState: (this: TokenizerInternals, cp: number) => void): void {
    const tok = this.tok;
    const pre = tok.preprocessor;
    while (tok.state === DATA) {
      const html = pre.html; // emitting a tag may drop the input read so far (parse5's buffer waterline)
      let next = pre.pos + 1;
      // Tags often follow each other: the next character is looked at before searching.
      if (html.charCodeAt(next) !== 0x3c) next = this.dataStop(html, next);
      if (next >= html.length || html.charCodeAt(next) !== 0x3c) {
        if (next - 1 > pre.pos) {
          pre.pos = next - 1;
          pre.isEol = false;
          pre.skipNextNewLine = false;
        }
        return;
      }
      pre.pos = next;
      pre.isEol = false;
      pre.skipNextNewLine = false;
      if (!this.read()) {
        dataState.call(tok, 0x3c);
        return;
      }
    }
  }

  /** The input `stops` positions are in (they are found in this one), and the next `&`, NUL and CR. */
  private stopsIn = '';
  private readonly stops = [-1, -1, -1];
  private readonly searchedFrom = [-1, -1, -1];

  /**
   * The position of the next character at or after `from` that the data state acts on (`<`, `&`,
   * NUL, or a CR, which the preprocessor reads as LF), or the input's length. Each of `&`, NUL and
   * CR is searched for again only once passed (nextAt): a page is searched through once for each.
   */
  private dataStop(html: string, from: number): number {
    let next = html.indexOf('<', from);
    if (next < 0) next = html.length;
    // The nearest of the three, as last found in this input, while it holds (found from at most
    // here, not passed). (nextAt's own record of the input may be newer: read() calls it too.)
    if (this.nearestIn !== html || this.nearestFrom > from || this.nearest < from) {
      this.nearest = Math.min(
        this.nextAt(0, html, from),
        this.nextAt(1, html, from),
        this.nextAt(2, html, from),
      );
      this.nearestFrom = from;
      this.nearestIn = html;
    }
    return this.nearest < next ? this.nearest : next;
  }
  private nearest = -1;
  private nearestFrom = -1;
  private nearestIn = '';

  /**
   * The position of the next STOP_CHARS[k] at or after `from` in `html` (its length when there is
   * none). The reading moves forward: an answer is kept until passed.
   */
  private nextAt(k: number, html: string, from: number): number {
    const stops = this.stops;
    const searched = this.searchedFrom;
    if (this.stopsIn !== html) {
      this.stopsIn = html;
      stops[0] = stops[1] = stops[2] = -1;
      searched[0] = searched[1] = searched[2] = -1;
    }
    let at = stops[k]!;
    // The answer of a search from `searched[k]` holds for every position from there to it.
    if (at < from || searched[k]! > from || searched[k] === -1) {
      at = html.indexOf(STOP_CHARS[k]!, from);
      if (at < 0) at = html.length;
      stops[k] = at;
      searched[k] = from;
    }
    return at;
  }

  /** Reads the tag whose `<` is at the input position, when it is plain; false (nothing read) when not. */
  read(): boolean {
    const tok = this.tok;
    // In SVG and MathML the simulator adjusts names and reads attributes: a tag there is read with
    // all its attributes and emitted (it is never passed over: see passOver).
    const foreign = tok.inForeignNode;
    const pre = tok.preprocessor;
    const html = pre.html;
    const n = html.length;
    const lt = pre.pos;
    const endTag = html.charCodeAt(lt + 1) === 0x2f;
    let i = lt + (endTag ? 2 : 1);
    const first = html.charCodeAt(i) | 0x20;
    if (first < 0x61 || first > 0x7a) return false; // an ASCII letter starts a tag name
    const nameAt = i;
    i = nameEnd(html, i);
    if (endTag && this.sim !== null && this.sim.frameTags.length === 1) {
      // An end tag in HTML content at the document's frame changes nothing but the simulator's
      // directFrames, whatever its name (ParserFeedbackSimulator.onEndTag; see passOver): only the
      // sink may want it.
      const nameTo = i;
      while (i < n && isSpace(html.charCodeAt(i))) i++;
      if (html.charCodeAt(i) !== 0x3e) return false;
      pre.pos = i;
      pre.isEol = false;
      pre.skipNextNewLine = false;
      this.sim.directFrames = 0;
      const upper = nameUpper;
      if (this.endNames === null) {
        const name = html.slice(nameAt, nameTo);
        this.sink.end(upper ? name.toLowerCase() : name);
      } else {
        for (const name of this.endNames)
          if (
            name.length === nameTo - nameAt &&
            (upper ? html.slice(nameAt, nameTo).toLowerCase() === name : sameAt(html, nameAt, name))
          )
            this.sink.end(name);
      }
      return true;
    }
    let index = nameUpper ? -1 : knownAt(html, nameAt, i, nameHash);
    let tagName: string;
    if (index >= 0) tagName = KNOWN[index]!;
    else {
      tagName = html.slice(nameAt, i);
      if (nameUpper) {
        tagName = tagName.toLowerCase();
        index = knownIndex.get(tagName) ?? -1;
      }
    }
    // Whether the sink reads this tag (a name not in KNOWN: asked of its set).
    const wanted =
      index >= 0
        ? (endTag ? this.endFlags : this.startFlags)[index] === 1
        : ((endTag ? this.endsOf : this.attributesOf)?.has(tagName) ?? true);
    const keep = !endTag && (wanted || foreign);
    let selfClosing = false;
    const at = this.at;
    let count = 0;
    for (;;) {
      const ws = i;
      while (i < n && isSpace(html.charCodeAt(i))) i++;
      const c = html.charCodeAt(i);
      if (c === 0x3e) break; // >
      if (endTag) return false;
      if (c === 0x2f) {
        if (html.charCodeAt(i + 1) !== 0x3e) return false;
        selfClosing = true;
        i++;
        break;
      }
      if (i === ws || !(c < 128 && NAME[c])) return false;
      const nameFrom = i;
      i = nameEnd(html, i);
      const upper = nameUpper;
      const nameTo = i;
      let valueFrom = 0;
      let valueTo = 0;
      /** The value holds `&`: its references are decoded when it is read. */
      let refs = false;
      let j = i;
      while (j < n && isSpace(html.charCodeAt(j))) j++;
      if (html.charCodeAt(j) === 0x3d) {
        // =
        j++;
        while (j < n && isSpace(html.charCodeAt(j))) j++;
        const q = html.charCodeAt(j);
        if (q === 0x22 || q === 0x27) {
          valueFrom = j + 1;
          j = html.indexOf(q === 0x22 ? '"' : "'", valueFrom);
          if (j < 0) return false;
          // A value read must hold no NUL or CR, and its references are decoded when it is read;
          // in a value nobody reads they would change that value only (none of them can end it).
          if (keep && (this.nextAt(1, html, valueFrom) < j || this.nextAt(2, html, valueFrom) < j))
            return false;
          refs = keep && this.nextAt(0, html, valueFrom) < j;
          valueTo = j;
          i = j + 1;
        } else {
          valueFrom = j;
          for (; j < n; j++) {
            const v = html.charCodeAt(j);
            if (v < 128 && UNQUOTED_STOP[v] === 1) break;
            if (v === 0x26) refs = true; // & (a reference: consumes letters, digits, # and ; only)
          }
          if (j === valueFrom || j >= n) return false;
          const v = html.charCodeAt(j);
          if (v !== 0x3e && !isSpace(v)) return false;
          valueTo = j;
          i = j;
        }
      }
      if (!keep) continue;
      const k = count * 5;
      if (k < at.length) {
        at[k] = nameFrom;
        at[k + 1] = nameTo;
        at[k + 2] = valueFrom;
        at[k + 3] = valueTo;
        at[k + 4] = (upper ? 1 : 0) | (refs ? 2 : 0);
      } else at.push(nameFrom, nameTo, valueFrom, valueTo, (upper ? 1 : 0) | (refs ? 2 : 0));
      count++;
    }
    this.html = html;
    this.count = count;
    this.tagName = tagName;
    this.selfClosing = selfClosing;
    if (i >= n) return false;
    const sim = this.sim;
    const stateful = index >= 0 ? STATEFUL_AT[index] === 1 : STATEFUL.has(tagName);
    if (sim !== null && sim.frameTags.length === 1 && !stateful) {
      // A tag that changes nothing but this (in HTML content, outside every integration point; see
      // passOver): what emitting it would change, and the sink if it reads the tag.
      pre.pos = i;
      pre.isEol = false;
      pre.skipNextNewLine = false;
      sim.directFrames = 0;
      if (endTag) {
        if (wanted) this.sink.end(tagName);
      } else {
        tok.lastStartTagName = tagName;
        if (keep) this.sink.start(this);
      }
      return true;
    }
    // What the tokenizer does from the `<` to the `>`: the pending text run flushed, a new token
    // filled, then the data state and the token emitted, with the input read up to the `>`.
    tok._flushRun('');
    tok.currentToken = this.tokenOf(endTag);
    pre.pos = i;
    pre.isEol = false;
    pre.skipNextNewLine = false;
    tok.state = DATA;
    tok.emitCurrentTagToken();
    return true;
  }

  /** The reused token, filled for the tag just read (with its attributes, repeated names dropped). */
  private tokenOf(endTag: boolean): Token {
    const token = this.token;
    token.type = endTag ? END_TAG : START_TAG;
    token.tagName = this.tagName;
    token.tagID = 0;
    token.selfClosing = this.selfClosing;
    token.ackSelfClosing = false;
    token.attrs = this.count === 0 ? NO_ATTRIBUTES : this.attrs();
    return token;
  }

  /** The name of the k-th attribute of the tag just read. */
  private nameAt(k: number): string {
    const at = this.at;
    const name = this.html.slice(at[5 * k]!, at[5 * k + 1]);
    return (at[5 * k + 4]! & 1) === 1 ? name.toLowerCase() : name;
  }

  /**
   * The value of the k-th attribute, its character references decoded as the tokenizer decodes them
   * in an attribute value (parse5 uses the same decoder, the `entities` package's, in its attribute
   * mode: a legacy name without `;` before `=` or a letter or digit stays as written).
   */
  private valueAt(k: number): string {
    const at = this.at;
    const value = this.html.slice(at[5 * k + 2], at[5 * k + 3]);
    return (at[5 * k + 4]! & 2) === 2 ? decodeHTMLAttribute(value) : value;
  }

  /** The k-th attribute has this (lower-case) name. */
  private named(k: number, name: string): boolean {
    const at = this.at;
    const from = at[5 * k]!;
    if (at[5 * k + 1]! - from !== name.length) return false;
    return (at[5 * k + 4]! & 1) === 1 ? this.nameAt(k) === name : this.html.startsWith(name, from);
  }

  attr(name: string): string | null {
    for (let k = 0; k < this.count; k++) if (this.named(k, name)) return this.valueAt(k);
    return null;
  }

  attrs(): { name: string; value: string }[] {
    const out: { name: string; value: string }[] = [];
    for (let k = 0; k < this.count; k++) {
      const name = this.nameAt(k);
      if (out.some((a) => a.name === name)) continue;
      out.push({ name, value: this.valueAt(k) });
    }
    return out;
  }
}

/**
 * A string of its own: an attribute value may be a slice of the page's text, sharing (and keeping
 * alive) the whole page, as V8 does for a slice of 13 characters or more; a remembered reference
 * must not keep its page.
 */
function own(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
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
/** Absolute references, and (by the base's authority) slash-led ones: reference -> resolution. */
const absoluteRefs = new Map<string, string | null>();
const rootedRefs = new Map<string, Map<string, string | null>>();

/** The remembered resolutions of slash-led references against a base with this URL's authority. */
function rootedRefsOf(base: string): Map<string, string | null> | null {
  let authority: string;
  try {
    const u = new URL(base);
    authority = `${u.protocol}//${u.username}:${u.password}@${u.host}`;
  } catch {
    return null;
  }
  let refs = rootedRefs.get(authority);
  if (refs === undefined) {
    if (rootedRefs.size >= 64) rootedRefs.clear();
    refs = new Map();
    rootedRefs.set(authority, refs);
  }
  return refs;
}

/** `raw` starts with `http://` or `https://` (any case). */
function isAbsoluteHttp(raw: string): boolean {
  if ((raw.charCodeAt(0) | 0x20) !== 0x68 || (raw.charCodeAt(1) | 0x20) !== 0x74) return false; // h t
  if ((raw.charCodeAt(2) | 0x20) !== 0x74 || (raw.charCodeAt(3) | 0x20) !== 0x70) return false; // t p
  const i = (raw.charCodeAt(4) | 0x20) === 0x73 ? 5 : 4; // s
  return raw.startsWith('://', i);
}

function resolveRef(raw: string, base: string, rooted: Map<string, string | null> | null): string | null {
  const known = raw.charCodeAt(0) === 0x2f ? rooted : isAbsoluteHttp(raw) ? absoluteRefs : null;
  if (known === null) return resolveUrl(raw, base);
  const u = known.get(raw);
  if (u !== undefined) return u;
  const r = resolveUrl(raw, base);
  if (known.size >= MAX_RESOLVED) known.clear();
  known.set(own(raw), r);
  return r;
}

/**
 * Every start tag (with its attributes) and end tag of a page, in order, as the scanner's tokenizer
 * reads it, with or without skipping text: for tests that compare the two.
 */
export function tagsOf(html: string, fast = true): string[] {
  const out: string[] = [];
  readTags(
    html,
    {
      start: (t) =>
        out.push(
          `<${t.tagName}${t
            .attrs()
            .map((a) => ` ${a.name}=${JSON.stringify(a.value)}`)
            .join('')}${t.selfClosing ? '/' : ''}>`,
        ),
      end: (tagName) => out.push(`</${tagName}>`),
    },
    fast,
  );
  return out;
}

interface RawForm {
  action: string | null;
  method: string;
  hasPassword: boolean;
}

export function scanPage(html: string, pageUrl: string, fast = true): ScannedPage {
  // The references as written, resolved once the base URL is known (a later `<base>` applies to
  // them too), with their subresource type (null: a link).
  const raws: string[] = [];
  const types: (SubresourceType | null)[] = [];
  const forms: RawForm[] = [];
  let base: string | null = null;
  let openForm: RawForm | null = null;
  const link = (raw: string | null): void => {
    if (raw === null) return;
    raws.push(raw);
    types.push(null);
  };
  const sub = (raw: string | null, type: SubresourceType): void => {
    if (raw === null) return;
    raws.push(raw);
    types.push(type);
  };
  const start = (t: StartTagView): void => {
    const tag = t.tagName;
    if (!WANTED.has(tag)) return;
    switch (tag) {
      case 'a':
      case 'area':
        link(t.attr('href'));
        break;
      case 'iframe':
      case 'frame': {
        const src = t.attr('src');
        link(src);
        sub(src, tag);
        break;
      }
      case 'script':
        sub(t.attr('src'), 'script');
        break;
      case 'link': {
        const rel = (t.attr('rel') ?? '').toLowerCase().split(/\s+/);
        const href = t.attr('href');
        if (rel.includes('stylesheet')) sub(href, 'stylesheet');
        else if (rel.includes('icon')) sub(href, 'icon');
        else if (rel.includes('preload') || rel.includes('modulepreload')) {
          const as = (t.attr('as') ?? '').toLowerCase();
          sub(href, as === 'image' ? 'img' : as === 'audio' || as === 'video' ? as : 'preload');
        }
        break;
      }
      case 'img':
        sub(t.attr('src'), 'img');
        for (const u of srcsetUrls(t.attr('srcset') ?? '')) sub(u, 'img');
        break;
      case 'input': {
        const type = (t.attr('type') ?? '').trim().toLowerCase();
        if (type === 'image') sub(t.attr('src'), 'img');
        // extract.ts's formOf counts named password inputs only (unnamed ones are not submitted).
        if (type === 'password' && openForm !== null && t.attr('name')) openForm.hasPassword = true;
        break;
      }
      case 'audio':
      case 'video':
        sub(t.attr('src'), tag);
        if (tag === 'video') sub(t.attr('poster'), 'img');
        break;
      case 'source':
        sub(t.attr('src'), 'source');
        for (const u of srcsetUrls(t.attr('srcset') ?? '')) sub(u, 'source');
        break;
      case 'track':
        sub(t.attr('src'), 'track');
        break;
      case 'object':
        sub(t.attr('data'), 'object');
        break;
      case 'embed':
        sub(t.attr('src'), 'embed');
        break;
      case 'meta':
        if ((t.attr('http-equiv') ?? '').toLowerCase() === 'refresh')
          link(metaRefreshTarget(t.attr('content') ?? ''));
        break;
      case 'base':
        // The first base element with an href sets the document's base URL (HTML "the base element").
        if (base === null) base = t.attr('href');
        break;
      case 'form':
        // HTML tree construction: a form start tag while a form is open is ignored.
        if (openForm === null) {
          openForm = {
            action: t.attr('action'),
            method: own((t.attr('method') ?? 'get').trim().toLowerCase()) || 'get',
            hasPassword: false,
          };
          forms.push(openForm);
        }
        break;
    }
  };
  readTags(
    html,
    {
      start,
      attributesOf: WANTED,
      endsOf: FORM_END,
      end: (tagName) => {
        if (tagName === 'form') openForm = null;
      },
    },
    fast,
  );

  const baseUrl = (base !== null && resolveUrl(base, pageUrl)) || pageUrl;
  const links: string[] = [];
  const seenLinks = new Set<string>();
  const subresources: Subresource[] = [];
  const seenSub = new Set<string>();
  const rooted = rootedRefsOf(baseUrl);
  for (let i = 0; i < raws.length; i++) {
    const u = resolveRef(raws[i]!, baseUrl, rooted);
    if (u === null) continue;
    const type = types[i]!;
    if (type === null) {
      const href = withoutFragment(u);
      if (seenLinks.has(href)) continue;
      seenLinks.add(href);
      links.push(href);
    } else {
      const key = `${type} ${u}`;
      if (seenSub.has(key)) continue;
      seenSub.add(key);
      subresources.push({ url: u, type, active: !PASSIVE_TYPES.has(type) });
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
