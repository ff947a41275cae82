/**
 * Errors a user can cause (bad arguments, unreadable files, invalid config). The command line prints
 * `cookieguard: <message>` on one line and exits 2; no stack trace.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** One line, no trailing period duplication, no newlines (messages from parsers can be multi-line). */
export function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ').trim();
}

/**
 * Why a file could not be read or written, in a few words (`cannot read X: <this>`): the common
 * error codes in plain words, anything else the system's message on one line (at most 160
 * characters). One wording for every command.
 */
export function describeFsError(e: unknown): string {
  switch ((e as NodeJS.ErrnoException | null)?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    default: {
      const line = oneLine(e instanceof Error ? e.message : String(e));
      return line.length > 160 ? `${line.slice(0, 160)}…` : line;
    }
  }
}
