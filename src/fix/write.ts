/** Replacing a file's contents so that readers never see it half-written (fixed sources and reports alike). */
import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to `path` through a temporary file in the same directory, then rename(2) over the
 * target (atomic on POSIX file systems); the temporary file is removed if either step fails.
 * `keepMode`: the permission bits to give the new file exactly (an edited file keeps its own);
 * without it, 0644 less the umask.
 */
export function replaceFileAtomic(path: string, text: string, keepMode?: number): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { encoding: 'utf8', mode: 0o644 });
    if (keepMode !== undefined) chmodSync(tmp, keepMode & 0o7777);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
