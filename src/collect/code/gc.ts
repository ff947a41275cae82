/**
 * Native parse trees (ast-grep / tree-sitter) are freed by finalizers, which V8 runs only after a
 * garbage collection has found their small JavaScript wrappers dead. V8 does not see the native
 * memory behind the wrappers, so a thread that parses large files but allocates little JavaScript
 * collects rarely, and the trees pile up (measured: parsing WordPress's 936 PHP files with no
 * collection held 480 MB; with one every ten files, 110 MB). A minor collection every few parsed
 * files keeps that bounded for about a millisecond each.
 *
 * `gc` is not exposed without `--expose-gc`: the flag is set at run time and the function taken from
 * a new context (node:v8 setFlagsFromString). Where that fails, nothing is done.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options?: { type?: 'minor' | 'major' }) => void;

let gc: GcFunction | null | undefined;

function gcFunction(): GcFunction | null {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const f: unknown = runInNewContext('gc');
      gc = typeof f === 'function' ? (f as GcFunction) : null;
    } catch {
      gc = null;
    }
  }
  return gc;
}

/**
 * Parsed files, or parsed source characters, between two minor collections, whichever comes first.
 * Measured on two WordPress cores (5,042 files, main thread and one worker): every 4 files, peak RSS
 * 176-202 MB; every 2 files 176-188 MB but 3% slower on the 30,000-file bench tree (small files);
 * every 4 files or 48 K characters (the large files of a CMS count for several) 177-192 MB. By
 * source size alone: every 128 KB 207 MB, every 512 KB 230 MB.
 */
export const PARSED_FILES_PER_GC = 4;
export const PARSED_BYTES_PER_GC = 48 * 1024;

/** A minor garbage collection, so that the finalizers of dead parse trees run on the next turn. */
export function collectYoung(): void {
  gcFunction()?.({ type: 'minor' });
}
