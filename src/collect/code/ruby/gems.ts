/**
 * Ruby dependencies: `Gemfile.lock` (the installed versions: the `specs:` entries of its GEM / PATH /
 * GIT sections, `    rails (7.1.3)`, see Bundler's lockfile format) and `Gemfile`
 * (`gem 'rails', '~> 7.1'`, parsed as Ruby). They give the Rails version whose defaults apply.
 */
import { parseAs } from '../common/grammar.js';
import { locationOf } from '../common/location.js';
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { argsOf, stringOf } from './values.js';

/** Gems whose version says which Rails defaults apply. */
const WANTED = new Set(['rails', 'railties', 'actionpack', 'rack']);

export function extractGemfileLock(file: SourceFile): CodeFact[] {
  const out: CodeFact[] = [];
  const lines = file.text.split(/\r?\n/);
  let inSpecs = false;
  lines.forEach((line, i) => {
    if (/^\S/.test(line)) inSpecs = false;
    else if (/^ {2}specs:\s*$/.test(line)) inSpecs = true;
    if (!inSpecs) return;
    // Exactly four spaces: a locked gem (six: one of its dependencies, with a requirement).
    const m = /^ {4}([A-Za-z0-9_.-]+) \(([^)\s]+)\)\s*$/.exec(line);
    if (!m || !WANTED.has(m[1]!)) return;
    out.push({
      type: 'dependency',
      ecosystem: 'rubygems',
      name: m[1]!,
      version: m[2]!.replace(/-.*$/, ''),
      locked: true,
      location: { file: file.file, line: i + 1, column: 5 },
    });
  });
  return out;
}

export function extractGemfile(file: SourceFile): CodeFact[] {
  const out: CodeFact[] = [];
  const root = parseAs('ruby', file.text).root();
  for (const call of root.findAll({ rule: { kind: 'call', has: { field: 'method', regex: '^gem$' } } })) {
    if (call.field('receiver')) continue;
    const args = argsOf(call);
    const name = stringOf(args[0]);
    if (!name || !WANTED.has(name)) continue;
    const versions = args
      .slice(1)
      .map(stringOf)
      .filter((v): v is string => v !== null);
    out.push({
      type: 'dependency',
      ecosystem: 'rubygems',
      name,
      version: versions.length > 0 ? versions.join(', ') : null,
      location: locationOf(call, file.file),
    });
  }
  return out;
}

export const gemfileLockExtractor: Extractor = {
  name: 'gemfile-lock',
  files: ['**/Gemfile.lock', '**/gems.locked'],
  keywords: [],
  extract: extractGemfileLock,
};

export const gemfileExtractor: Extractor = {
  name: 'gemfile',
  files: ['**/Gemfile', '**/gems.rb'],
  keywords: ['gem'],
  extract: extractGemfile,
};
