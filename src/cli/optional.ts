/**
 * Modules other parts of the project provide later (dev, demo, linking). The command line loads
 * them when their compiled file exists, so that each can land on its own.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `rel` is relative to this file's compiled location (dist/src/cli/), e.g. '../dev/cli.js'. */
export async function loadOptional<T>(rel: string): Promise<T | null> {
  const url = new URL(rel, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return null;
  return (await import(url.href)) as T;
}
