/**
 * One file through the pipeline: read, size / binary checks, keyword prefilter, UTF-8 decoding,
 * extractors. Runs the same way in a worker thread and in the main thread (single-threaded mode), so
 * both produce identical facts.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { ReportError } from '../../model/finding.js';
import type { Candidate } from './discover.js';
import { errnoText } from './discover.js';
import { looksMinified, MAX_NESTING, nestsDeeperThan } from './paths.js';
import { collectYoung, PARSED_BYTES_PER_GC, PARSED_FILES_PER_GC } from './gc.js';
import { KeywordFilter } from './prefilter.js';
import type { CodeFact, Extractor, FileFacts } from './types.js';

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Lets the event loop turn once (so that finalizers of native parse trees run). */
export function turnLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
const BINARY_PROBE_BYTES = 8 * 1024;

export interface ProcessStats {
  /** Files opened. */
  read: number;
  /** Bytes read. */
  bytes: number;
  /** Files that passed the keyword prefilter (decoded and handed to at least one extractor). */
  matched: number;
  /** Extractor runs. */
  extractorRuns: number;
  skippedBig: number;
  skippedBinary: number;
  skippedMinified: number;
  skippedDeep: number;
  unreadable: number;
}

export function emptyStats(): ProcessStats {
  return {
    read: 0,
    bytes: 0,
    matched: 0,
    extractorRuns: 0,
    skippedBig: 0,
    skippedBinary: 0,
    skippedMinified: 0,
    skippedDeep: 0,
    unreadable: 0,
  };
}

export function addStats(into: ProcessStats, s: ProcessStats): void {
  for (const k of Object.keys(into) as (keyof ProcessStats)[]) into[k] += s[k];
}

/** `3.1 MiB`, `2 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(n: number): string {
  const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1).replace(/\.0$/, ''));
  if (n >= 1024 * 1024) return `${fmt(Math.floor((n / (1024 * 1024)) * 10) / 10)} MiB`;
  if (n >= 1024) return `${fmt(Math.floor((n / 1024) * 10) / 10)} KiB`;
  return `${n} bytes`;
}

export interface ProcessOutcome {
  facts: FileFacts | null;
  errors: ReportError[];
  /**
   * Extractors ran on the file. Native parse trees are freed by finalizers that Node runs only when
   * the event loop turns (after a garbage collection): a caller must let the loop turn after such a
   * file, or memory grows with every file parsed (measured: 300 parses of a 20 KB file in a row keep
   * 400 MB; letting the loop turn after each keeps it near 50 MB).
   */
  parsed: boolean;
}

function describeFailure(e: unknown): string {
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return 'code nested too deeply to analyse (maximum call stack size exceeded)';
  }
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] || 'unknown error';
}

export class FileProcessor {
  private readonly filter: KeywordFilter;
  private scratch = Buffer.allocUnsafe(64 * 1024);
  private parsedSinceGc = 0;
  private parsedBytesSinceGc = 0;
  readonly stats = emptyStats();

  constructor(
    private readonly extractors: readonly Extractor[],
    private readonly maxFileBytes: number = DEFAULT_MAX_FILE_BYTES,
  ) {
    this.filter = new KeywordFilter(extractors);
  }

  /** Reads the file; null when it was skipped (the reason is pushed to `errors`, or counted when silent). */
  private read(c: Candidate, errors: ReportError[]): Buffer | null {
    let fd: number;
    try {
      // O_NONBLOCK: a FIFO that replaced the file since discovery must not block the scan.
      fd = openSync(c.absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (e) {
      this.stats.unreadable++;
      errors.push({ file: c.file, message: `cannot read ${c.file}: ${errnoText(e)}` });
      return null;
    }
    try {
      // One read of up to the limit + 1 byte into a buffer reused for every file, without an fstat:
      // discovery saw a regular file, and a regular file gives all it has in one read (short reads
      // happen only at its end). Measured: a buffer allocated per file, or an fstat per file, costs
      // more than the read itself. Nothing keeps the buffer past process(): extractors get strings.
      const want = this.maxFileBytes + 1;
      let off = 0;
      for (;;) {
        if (this.scratch.length < Math.min(want, off + 64 * 1024)) {
          const bigger = Buffer.allocUnsafe(
            Math.min(want, Math.max(this.scratch.length * 4, off + 64 * 1024)),
          );
          this.scratch.copy(bigger, 0, 0, off);
          this.scratch = bigger;
        }
        const n = readSync(fd, this.scratch, off, Math.min(want, this.scratch.length) - off, null);
        off += n;
        if (n === 0 || off >= want || off < this.scratch.length) break;
      }
      if (off > this.maxFileBytes) {
        let size = off;
        try {
          size = fstatSync(fd).size;
        } catch {
          // keep what was read
        }
        this.stats.skippedBig++;
        errors.push({
          file: c.file,
          message: `skipped ${c.file}: ${formatBytes(size)} is over the ${formatBytes(this.maxFileBytes)} limit (--max-file-size)`,
        });
        return null;
      }
      this.stats.read++;
      this.stats.bytes += off;
      return this.scratch.subarray(0, off);
    } catch (e) {
      this.stats.unreadable++;
      const code = (e as NodeJS.ErrnoException).code;
      errors.push({
        file: c.file,
        message:
          code === 'EISDIR' || code === 'EAGAIN'
            ? `skipped ${c.file}: not a regular file`
            : `cannot read ${c.file}: ${errnoText(e)}`,
      });
      return null;
    } finally {
      closeSync(fd);
    }
  }

  process(c: Candidate): ProcessOutcome {
    const errors: ReportError[] = [];
    const buf = this.read(c, errors);
    if (buf === null) return { facts: null, errors, parsed: false };
    const probe = buf.length > BINARY_PROBE_BYTES ? buf.subarray(0, BINARY_PROBE_BYTES) : buf;
    if (probe.indexOf(0) !== -1) {
      this.stats.skippedBinary++;
      errors.push({ file: c.file, message: `skipped ${c.file}: binary file (NUL byte in the first 8 KB)` });
      return { facts: null, errors, parsed: false };
    }
    const selected = this.filter.select(buf.toString('latin1'), c.extractors);
    if (selected.length === 0) return { facts: null, errors, parsed: false };

    let text: string;
    if (isUtf8(buf)) {
      text = buf.toString('utf8');
    } else {
      text = buf.toString('utf8'); // invalid sequences become U+FFFD
      errors.push({
        file: c.file,
        message: `${c.file}: not valid UTF-8; invalid bytes were replaced (U+FFFD) before analysis`,
      });
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (
      (c.language === 'javascript' || c.language === 'typescript' || c.language === 'tsx') &&
      looksMinified(text)
    ) {
      this.stats.skippedMinified++;
      return { facts: null, errors: [], parsed: false };
    }
    if (nestsDeeperThan(text)) {
      this.stats.skippedDeep++;
      errors.push({
        file: c.file,
        message: `skipped ${c.file}: brackets nested more than ${MAX_NESTING} levels deep, too deep to analyse safely`,
      });
      return { facts: null, errors, parsed: false };
    }
    this.stats.matched++;

    const facts: CodeFact[] = [];
    for (const i of selected) {
      const ex = this.extractors[i];
      this.stats.extractorRuns++;
      let out: CodeFact[];
      try {
        out = ex.extract({ file: c.file, absPath: c.absPath, text, language: c.language });
        if (!Array.isArray(out)) throw new TypeError('the extractor did not return an array');
      } catch (e) {
        errors.push({
          file: c.file,
          message: `${ex.name} could not analyse ${c.file}: ${describeFailure(e)}`,
        });
        continue;
      }
      if (out.length === 0) continue;
      try {
        // Facts cross worker threads: clone them here too, so both modes give the same objects and a
        // fact that cannot be cloned fails the same way.
        facts.push(...structuredClone(out));
      } catch (e) {
        errors.push({
          file: c.file,
          message: `${ex.name} returned facts that cannot be copied for ${c.file}: ${describeFailure(e)}`,
        });
      }
    }
    // Bound the native memory of parse trees waiting for their finalizers (gc.ts).
    this.parsedBytesSinceGc += text.length;
    if (++this.parsedSinceGc >= PARSED_FILES_PER_GC || this.parsedBytesSinceGc >= PARSED_BYTES_PER_GC) {
      this.parsedSinceGc = 0;
      this.parsedBytesSinceGc = 0;
      collectYoung();
    }
    if (facts.length === 0) return { facts: null, errors, parsed: true };
    return {
      facts: { file: c.file, language: c.language, facts, inTestCode: c.inTestCode },
      errors,
      parsed: true,
    };
  }
}
