/** Where the report goes: a file (written atomically) or stdout; and whether it may be coloured. */
import { describeFsError } from './args.js';
import { UserError } from '../model/errors.js';
import { replaceFileAtomic } from '../fix/write.js';

/**
 * Writes `text` to `path` so that readers never see a half-written report: a temporary file in the
 * same directory, then rename(2) over the target (atomic on POSIX file systems).
 */
export function writeFileAtomic(path: string, text: string): void {
  try {
    replaceFileAtomic(path, text);
  } catch (e) {
    throw new UserError(`cannot write --output ${path}: ${describeFsError(e)}`);
  }
}

/** Writes to stdout and resolves once the data is handed to the OS (a closed pipe is not an error). */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    const onError = () => resolve();
    process.stdout.once('error', onError);
    process.stdout.write(text, () => {
      process.stdout.off('error', onError);
      resolve();
    });
  });
}

/**
 * Colour only for a terminal: the report goes to stdout, stdout is a TTY, --no-color was not given and
 * NO_COLOR (https://no-color.org: present and not empty) is not set.
 */
export function useColor(opts: {
  colorFlag: boolean;
  toFile: boolean;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}): boolean {
  if (!opts.colorFlag || opts.toFile || !opts.isTTY) return false;
  const nc = opts.env.NO_COLOR;
  return nc === undefined || nc === '';
}
