/** What a relative path says about a file: its language, whether it is test code, whether it is skipped by default. */
import type { Language } from './types.js';

/**
 * Folders skipped by default (dependencies, VCS data, build output, caches); `--include` brings
 * them back. A folder holding `pyvenv.cfg` (a Python virtualenv under any name) is skipped as well.
 */
export const DEFAULT_SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  'vendor',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.cache',
  'coverage',
  '.nyc_output',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  'target',
]);

/** Minified / bundled files by name (their content is checked as well, see looksMinified). */
export function isMinifiedName(name: string): boolean {
  return (
    /[.-]min\.(js|mjs|cjs)$/i.test(name) ||
    /\.bundle\.(js|mjs|cjs)$/i.test(name) ||
    /\.chunk\.(js|mjs)$/i.test(name)
  );
}

/**
 * Folders whose code is tests or fixtures: findings there are reported at info. `examples/` and
 * `demo/` are not on the list: users copy example code into production as it is.
 */
export const TEST_DIRS: ReadonlySet<string> = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  'fixtures',
  '__fixtures__',
  'testdata',
  'test-data',
  'test_data',
  '__mocks__',
  'e2e',
  'cypress',
]);

/** Test files by name: foo.test.js, foo.spec.ts, test_foo.py, foo_test.py, conftest.py, FooTest.php. */
function isTestFileName(name: string): boolean {
  return (
    /\.(test|spec)\.[cm]?[jt]sx?$/i.test(name) ||
    /^test_.*\.py$/.test(name) ||
    /_test\.py$/.test(name) ||
    name === 'conftest.py' ||
    /[A-Za-z0-9]Test\.php$/.test(name) ||
    // C# (issue 13): FooTests.cs, FooTest.cs
    /[A-Za-z0-9]Tests?\.cs$/.test(name) ||
    // Go (i13-go): `go test` compiles only files named *_test.go (cmd/go: "Test files").
    /_test\.go$/.test(name)
  );
}

/** .NET test projects by folder name (issue 13): MyApp.Tests, MyApp.UnitTests, MyApp.IntegrationTests. */
const DOTNET_TEST_PROJECT = /\.[A-Za-z]*Tests?$/;

export function isTestPath(rel: string): boolean {
  const parts = rel.split('/');
  const name = parts.pop() ?? '';
  return (
    parts.some((p) => TEST_DIRS.has(p.toLowerCase())) ||
    isTestFileName(name) ||
    parts.some((p) => DOTNET_TEST_PROJECT.test(p)) // issue 13 (C#)
  );
}

const EXT_LANGUAGE: Record<string, Language> = {
  php: 'php',
  phtml: 'php',
  inc: 'php',
  py: 'python',
  pyw: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  rb: 'ruby',
  rake: 'ruby',
  java: 'java',
  cs: 'csharp',
  go: 'go',
};

export function languageOf(rel: string): Language {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'config';
  return EXT_LANGUAGE[name.slice(dot + 1).toLowerCase()] ?? 'config';
}

/**
 * Generated JavaScript (bundles, minified libraries committed under another name): long lines on
 * average. Small files are never judged so; a hand-written file has far shorter lines.
 */
export function looksMinified(text: string): boolean {
  if (text.length < 16 * 1024) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.length / lines > 500;
}

/** Deeper bracket nesting than this is left alone: no hand-written code comes near it. */
export const MAX_NESTING = 1000;

/**
 * Does bracket nesting ((, [, {) go deeper than `limit` anywhere in the text? A resource guard, not an
 * analysis: brackets in strings and comments count too, which only matters for pathological text.
 * Extractors walk syntax trees recursively; a tree 10,000 levels deep would overflow the JavaScript
 * stack at a depth that differs between the main thread and a worker (their stacks differ), so such
 * files are refused up front, the same way in both modes.
 */
export function nestsDeeperThan(text: string, limit = MAX_NESTING): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) {
      depth--;
    }
  }
  return false;
}
