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
