/** Temporary file trees for the scan-engine tests. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Registry } from '../../src/collect/code/index.js';
import type { Extractor } from '../../src/collect/code/types.js';

export function makeTree(files: Record<string, string | Buffer>, prefix = 'cg-scan-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}

export function removeTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** An extractor that takes every file and reports that it saw it: the facts list the files discovery found. */
export const seeEverything: Extractor = {
  name: 'see-everything',
  files: ['**/*'],
  keywords: [],
  extract: (f) => [
    {
      type: 'other',
      framework: 'test',
      key: 'seen',
      data: { text: f.text.slice(0, 40), language: f.language },
      location: { file: f.file, line: 1, column: 1 },
      evidence: '',
    },
  ],
};

export const seeEverythingRegistry: Registry = { extractors: [seeEverything], resolvers: [] };
