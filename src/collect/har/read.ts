/**
 * Reading a HAR file (HTTP Archive 1.2, http://www.softwareishard.com/blog/har-12-spec/, as written
 * by Chrome DevTools, Firefox DevTools and Playwright's recordHar) as a stream: the file is never held
 * in memory whole. The JSON is tokenised by @streamparser/json; each `log.entries[i]` is handed to the
 * caller as soon as it is complete and then dropped, so memory follows the largest entry, not the
 * file. A string longer than MAX_STRING_BYTES (a response body in `content.text`) is not kept whole
 * either: the reader only ever needs URLs and headers, and the body is cut to its tail while it streams.
 *
 * Every problem (no such file, too large, not JSON, cut short, not HAR 1.2) is a HarReadError with a
 * one-line message; entries delivered before the problem stay delivered.
 */
import { createReadStream, statSync } from 'node:fs';
import Tokenizer from '@streamparser/json/tokenizer.js';
import TokenParser from '@streamparser/json/tokenparser.js';
import { describeFsError } from '../../model/errors.js';

/** The parts of a HAR entry the collector reads (HAR 1.2 §entries; `_`-fields are exporters' own). */
export interface RawHarEntry {
  pageref?: unknown;
  startedDateTime?: unknown;
  request?: { method?: unknown; url?: unknown };
  response?: {
    status?: unknown;
    headers?: unknown;
    cookies?: unknown;
    redirectURL?: unknown;
    content?: { mimeType?: unknown };
    _error?: unknown;
  };
  /** Chrome DevTools: document, script, stylesheet, image, media, font, xhr, fetch ... */
  _resourceType?: unknown;
  /** Chrome DevTools: { type: 'parser' | 'script' | ..., url?, stack? }. */
  _initiator?: unknown;
}

export interface RawHarPage {
  id?: unknown;
  title?: unknown;
  startedDateTime?: unknown;
}

export interface HarReadResult {
  version: string | null;
  creator: string | null;
  pages: RawHarPage[];
  entries: number;
}

export class HarReadError extends Error {
  override readonly name = 'HarReadError';
}

/** A string token longer than this is cut to its tail while it streams (bodies are never read). */
export const MAX_STRING_BYTES = 8 * 1024 * 1024;

/** Bytes read from the file at a time. */
const CHUNK_BYTES = 256 * 1024;

interface StringBuilderLike {
  byteLength?: number;
  reset?: () => void;
}

/**
 * Stream `file` (at most `maxBytes`), calling `onEntry` for every entry in file order. Resolves with
 * the log's version, creator and pages; rejects with a HarReadError.
 */
export async function readHar(
  file: string,
  maxBytes: number,
  onEntry: (entry: RawHarEntry, index: number) => void,
): Promise<HarReadResult> {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new HarReadError(`${file}: is a directory, not a HAR file`);
    size = st.size;
  } catch (e) {
    if (e instanceof HarReadError) throw e;
    throw new HarReadError(`cannot read ${file}: ${describeFsError(e)}`);
  }
  if (size > maxBytes)
    throw new HarReadError(
      `${file}: ${formatBytes(size)} is over the --max-size limit of ${formatBytes(maxBytes)} (raise it with --max-size, e.g. --max-size 2g)`,
    );
  if (size === 0) throw new HarReadError(`${file}: is empty, not a HAR file`);

  const out: HarReadResult = { version: null, creator: null, pages: [], entries: 0 };
  let sawLog = false;
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({
    paths: ['$.log.version', '$.log.creator', '$.log.pages.*', '$.log.entries.*', '$.log'],
    keepStack: false,
  });
  let failure: Error | null = null;
  tokenizer.onToken = (t) => parser.write(t);
  tokenizer.onError = (err) => {
    failure ??= err;
  };
  parser.onError = (err) => {
    failure ??= err;
  };
  parser.onValue = ({ value, key, stack }) => {
    const depth = stack.length;
    // stack: [root, log] for log.version; [root, log, entries] for an entry; [root] for log.
    if (depth === 1 && key === 'log') {
      sawLog = true;
      return;
    }
    if (depth === 2 && stack[1]?.key === 'log') {
      if (key === 'version') out.version = typeof value === 'string' ? value : JSON.stringify(value);
      else if (key === 'creator' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const c = value as { name?: unknown; version?: unknown };
        out.creator = [c.name, c.version].filter((x) => typeof x === 'string').join(' ') || null;
      }
      return;
    }
    if (depth === 3 && stack[1]?.key === 'log' && typeof key === 'number') {
      const list = stack[2]?.key;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
      if (list === 'entries') {
        if (out.version !== null && out.version !== '1.2') throw wrongVersion(file, out.version);
        onEntry(value as RawHarEntry, out.entries++);
      } else if (list === 'pages') out.pages.push(value as RawHarPage);
    }
  };

  // The tokenizer's string accumulator (an internal of @streamparser/json 0.0.x, used only when
  // present): a string that grows past MAX_STRING_BYTES is cut, which bounds the memory a response
  // body can take. Only bodies are that long; nothing read here is.
  const builder = (tokenizer as unknown as { bufferedString?: StringBuilderLike }).bufferedString;

  let offset = 0;
  const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length && failure === null; i += CHUNK_BYTES / 4) {
        const part = chunk.subarray(i, Math.min(chunk.length, i + CHUNK_BYTES / 4));
        try {
          tokenizer.write(part);
        } catch (e) {
          failure ??= e as Error;
        }
        if (builder && typeof builder.reset === 'function' && (builder.byteLength ?? 0) > MAX_STRING_BYTES)
          builder.reset();
      }
      if (failure !== null) break;
      offset += chunk.length;
    }
  } catch (e) {
    if (e instanceof HarReadError) throw e;
    throw new HarReadError(`cannot read ${file}: ${describeFsError(e)}`);
  } finally {
    stream.destroy();
  }
  if (failure === null && !tokenizer.isEnded) {
    try {
      tokenizer.end();
    } catch (e) {
      failure ??= e as Error;
    }
  }
  // The tokenizer only knows that no token was cut; the parser knows whether the document is whole.
  const whole = parser.isEnded;
  if (failure === null && !whole) failure = new HarReadError(truncated(file, out.entries));
  if (failure !== null) {
    if (failure instanceof HarReadError) throw failure;
    const msg = (failure as Error).message ?? String(failure);
    if (/ended in the middle|unexpected end|incomplete|unterminated/i.test(msg) || offset >= size)
      throw new HarReadError(truncated(file, out.entries));
    throw new HarReadError(`${file}: not valid JSON: ${shorten(msg)}`);
  }
  if (!sawLog && out.version === null) throw new HarReadError(`${file}: not a HAR file (no "log" object)`);
  if (out.version === null) throw new HarReadError(`${file}: not a HAR file (no log.version)`);
  if (out.version !== '1.2') throw wrongVersion(file, out.version);
  return out;
}

function truncated(file: string, entries: number): string {
  const read = entries === 1 ? '1 entry was' : `${entries} entries were`;
  return `${file}: the JSON ends before it is complete (a truncated file?)${entries > 0 ? `; ${read} read before the end` : ''}`;
}

function wrongVersion(file: string, version: string): HarReadError {
  return new HarReadError(
    `${file}: log.version is ${JSON.stringify(version)}; HAR 1.2 is read (Chrome, Firefox and Playwright export it)`,
  );
}

function shorten(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3 && n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KiB`;
  return `${n} bytes`;
}
