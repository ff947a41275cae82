/**
 * Large uploads and downloads stream through the proxy without being buffered: 50 MB each way
 * through `cookieguard dev` (its own process), checked byte for byte (SHA-256), while the proxy's
 * peak resident memory (VmHWM in /proc/PID/status) grows by far less than the body.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import https from 'node:https';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { startDev, startUpstream, tempDir } from './helpers.js';

const SIZE = 50 * 1024 * 1024;
const CHUNK = 64 * 1024;
/** Warm-up transfers: enough for the heap's young generation and TLS buffers to reach their working size. */
const WARM = 10 * 1024 * 1024;

/** Deterministic bytes: chunk i is filled with (i * 31) & 255 and its index. */
function chunkAt(i: number, size: number): Buffer {
  const b = Buffer.alloc(size, (i * 31) & 255);
  b.writeUInt32BE(i, 0);
  return b;
}

function* body(total: number): Generator<Buffer> {
  for (let i = 0, sent = 0; sent < total; i++) {
    const n = Math.min(CHUNK, total - sent);
    sent += n;
    yield chunkAt(i, n);
  }
}

function sha256Of(total: number): string {
  const h = createHash('sha256');
  for (const c of body(total)) h.update(c);
  return h.digest('hex');
}

/** Peak resident set size of a process in kB (Linux). */
function peakRssKb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? NaN);
}

const noProc = !existsSync('/proc/self/status') && 'needs /proc (Linux) to read the proxy’s peak memory';

test(
  '50 MB up and 50 MB down stream through without the proxy’s memory growing by that much',
  { skip: noProc, timeout: 300_000 },
  async (t) => {
    const dir = tempDir('stream');
    const want = sha256Of(SIZE);
    const app = await startUpstream((q, r) => {
      if (q.url === '/upload') {
        const h = createHash('sha256');
        let n = 0;
        q.on('data', (c: Buffer) => {
          h.update(c);
          n += c.length;
        });
        q.on('end', () => r.end(JSON.stringify({ bytes: n, sha256: h.digest('hex') })));
        return;
      }
      const size = q.url === '/download' ? SIZE : WARM;
      r.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) });
      void pipeline(Readable.from(body(size)), r).catch(() => undefined);
    });
    const dev = await startDev([
      '--target',
      app.origin,
      '--port',
      '0',
      '--ca-dir',
      join(dir.dir, 'ca'),
      '--quiet',
    ]);
    try {
      const ca = readFileSync(join(dir.dir, 'ca', 'ca.pem'), 'utf8');
      const request = (method: string, path: string, upload?: number) =>
        new Promise<{ status: number; sha256: string; bytes: number; text: string }>((resolve, reject) => {
          const q = https.request(
            { host: '127.0.0.1', servername: 'localhost', port: dev.port, ca, method, path, agent: false },
            (res) => {
              const h = createHash('sha256');
              let bytes = 0;
              let text = '';
              res.on('data', (c: Buffer) => {
                h.update(c);
                bytes += c.length;
                if (text.length < 1000) text += c.toString('latin1');
              });
              res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, sha256: h.digest('hex'), bytes, text }),
              );
              res.on('error', reject);
            },
          );
          q.on('error', reject);
          q.setTimeout(120_000, () => q.destroy(new Error('transfer timed out')));
          if (upload === undefined) q.end();
          else pipeline(Readable.from(body(upload)), q).catch(reject);
        });

      // Warm up (10 MB each way, twice): the peak RSS of a Node process that streams settles at a
      // working size set by the garbage collector's young generation, whatever the body size; the
      // measure below is what 50 MB bodies add on top of it (measured here: about 5-8 MB).
      for (let i = 0; i < 2; i++) {
        assert.equal(JSON.parse((await request('POST', '/upload', WARM)).text).bytes, WARM);
        assert.equal((await request('GET', '/warm')).bytes, WARM);
      }
      const before = peakRssKb(dev.child.pid!);

      const up = await request('POST', '/upload', SIZE);
      assert.equal(up.status, 200);
      assert.deepEqual(JSON.parse(up.text), { bytes: SIZE, sha256: want }, 'upload arrived byte for byte');

      const down = await request('GET', '/download');
      assert.equal(down.status, 200);
      assert.equal(down.bytes, SIZE);
      assert.equal(down.sha256, want, 'download arrived byte for byte');

      const after = peakRssKb(dev.child.pid!);
      const growthMb = (after - before) / 1024;
      t.diagnostic(
        `proxy peak RSS: ${(before / 1024).toFixed(1)} MB before, ${(after / 1024).toFixed(1)} MB after 2 × 50 MB (+${growthMb.toFixed(1)} MB)`,
      );
      assert.ok(
        growthMb < 20,
        `the proxy's peak memory grew by ${growthMb.toFixed(1)} MB for 50 MB bodies: they were buffered`,
      );
    } finally {
      const stopped = await dev.stop();
      await app.close();
      dir.cleanup();
      assert.equal(stopped, 0, dev.stderr());
    }
  },
);
