/**
 * Generated HAR files for the size tests and the bench: many small entries (one page, each entry a
 * subresource that sets a cookie), or few entries with large bodies, written as a stream so the
 * generator never holds the file in memory either.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface GenerateOptions {
  /** Number of entries. */
  entries: number;
  /** Bytes of `response.content.text` per entry (a body the reader never needs). */
  bodyBytes?: number;
  /** Every n-th entry sets an insecure session cookie (default 10). */
  cookieEvery?: number;
}

/** Writes the HAR; resolves with its size in bytes. */
export async function generateHar(path: string, opts: GenerateOptions): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (s: string): Promise<void> => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  const body = opts.bodyBytes ? 'A'.repeat(Math.min(opts.bodyBytes, 1024 * 1024)) : '';
  const every = opts.cookieEvery ?? 10;
  await write(
    '{"log":{"version":"1.2","creator":{"name":"cookieguard-generator","version":"1"},' +
      '"pages":[{"startedDateTime":"2026-01-01T00:00:00.000Z","id":"page_1","title":"https://gen.example/","pageTimings":{}}],"entries":[',
  );
  for (let i = 0; i < opts.entries; i++) {
    const url = i === 0 ? 'https://gen.example/' : `https://gen.example/asset/${i}.js`;
    const headers = [{ name: 'Content-Type', value: i === 0 ? 'text/html' : 'text/javascript' }];
    if (i % every === 0) headers.push({ name: 'Set-Cookie', value: `sid${i % 50}=v${i}x0123456789; Path=/` });
    const entry = {
      pageref: 'page_1',
      startedDateTime: '2026-01-01T00:00:00.000Z',
      time: 1,
      request: {
        method: 'GET',
        url,
        httpVersion: 'HTTP/1.1',
        headers: [],
        queryString: [],
        cookies: [],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 200,
        statusText: 'OK',
        httpVersion: 'HTTP/1.1',
        headers,
        cookies: [],
        content: { size: 0, mimeType: i === 0 ? 'text/html' : 'text/javascript' },
        redirectURL: '',
        headersSize: -1,
        bodySize: 0,
      },
      cache: {},
      timings: { send: 0, wait: 1, receive: 0 },
    };
    let text = JSON.stringify(entry);
    if (opts.bodyBytes) {
      // The body goes in as a string written in pieces: `"text":"AAAA..."`.
      text = text.replace('"mimeType"', '"text":"\u0000BODY\u0000","mimeType"');
      const [before, after] = text.split('\u0000BODY\u0000') as [string, string];
      await write((i === 0 ? '' : ',') + before);
      let left = opts.bodyBytes;
      while (left > 0) {
        const n = Math.min(left, body.length);
        await write(n === body.length ? body : body.slice(0, n));
        left -= n;
      }
      await write(after);
    } else {
      await write((i === 0 ? '' : ',') + text);
    }
  }
  await write(']}}\n');
  out.end();
  await once(out, 'finish');
  return bytes;
}
