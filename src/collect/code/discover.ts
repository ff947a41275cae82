/**
 * File discovery for `cookieguard scan`: walks the given paths with node:fs (no external tools) and
 * yields the files some extractor wants.
 *
 * - `.gitignore` files at every level (and, inside a git work tree, those above the scanned folder
 *   up to the work tree's top, and `.git/info/exclude`) are honoured with the `ignore` package,
 *   deeper files taking precedence as in git. The user's global excludes file is not read. A folder
 *   named explicitly is scanned even if an ignore file above it ignores it (as ripgrep does).
 * - Dependency, VCS, build-output and cache folders (DEFAULT_SKIPPED_DIRS), Python virtualenvs
 *   (a folder holding `pyvenv.cfg`) and minified files are skipped.
 * - `include` globs bring skipped and ignored paths back; `exclude` globs drop paths and win over
 *   `include`. Globs are picomatch globs matched against the path relative to the scanned root; a
 *   glob without `/` matches a name at any depth; a glob matching a folder covers what is inside.
 * - Only files matching an extractor's `files` globs are candidates: nothing else is ever read.
 * - Symbolic links are not followed out of the scanned root. A link to a file inside the root is
 *   read under the link's name (file names carry meaning: `.env`, `php.ini`); a link to a folder
 *   inside the root is not followed (its target is scanned where it lies, as ripgrep and git do),
 *   which also makes link loops harmless. Links that loop, and links to folders or to wanted files
 *   outside the root, are noted in `errors`. Folders are also tracked by device and inode, so a
 *   bind-mount loop is walked once.
 */
import {
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  lstatSync,
  existsSync,
  type Dirent,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { describeFsError } from '../../model/errors.js';
import type { ReportError } from '../../model/finding.js';
import { DEFAULT_SKIPPED_DIRS, isMinifiedName, isTestPath, languageOf, TEST_DIRS } from './paths.js';
import type { Extractor, Language } from './types.js';

/** A file handed to the extractors. Plain data: it crosses to worker threads. */
export interface Candidate {
  /** Relative to the scanned root, `/`-separated. */
  file: string;
  absPath: string;
  /** Indices in the registry's extractor list whose `files` globs match. */
  extractors: number[];
  language: Language;
  inTestCode: boolean;
}

export interface DiscoverOptions {
  include?: readonly string[];
  exclude?: readonly string[];
}

/** A problem with the paths given to the scan (nothing to scan): the CLI exits 2 with this message. */
export class ScanInputError extends Error {
  override name = 'ScanInputError';
}

export interface ScanTargets {
  /** Common ancestor folder of the given paths (a file's folder for a file). */
  root: string;
  dirs: string[];
  files: string[];
}

/** Resolves the paths to scan, their root, and checks they exist. */
export function scanTargets(paths: readonly string[]): ScanTargets {
  if (paths.length === 0) paths = ['.'];
  const dirs: string[] = [];
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ScanInputError(
        code === 'ENOENT' || code === 'ENOTDIR'
          ? `no such file or folder: ${p}`
          : `cannot read ${p}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code}`,
      );
    }
    if (st.isDirectory()) dirs.push(abs);
    else if (st.isFile()) files.push(abs);
    else throw new ScanInputError(`not a file or folder: ${p}`);
  }
  const tops = [...dirs, ...files.map((f) => dirname(f))];
  let root = tops[0];
  for (const t of tops.slice(1)) root = commonAncestor(root, t);
  // A folder inside another given folder is walked once.
  const uniqueDirs = [...new Set(dirs)]
    .sort()
    .filter(
      (d, i, all) => !all.slice(0, i).some((o) => d === o || d.startsWith(o.endsWith(sep) ? o : o + sep)),
    );
  return { root, dirs: uniqueDirs, files: [...new Set(files)].sort() };
}

function commonAncestor(a: string, b: string): string {
  const pa = a.split(sep);
  const pb = b.split(sep);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  const joined = pa.slice(0, i).join(sep);
  return joined === '' ? sep : joined;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

// ---------------------------------------------------------------------------------------------
// .gitignore

interface IgnoreLevel {
  /** Folder of the ignore file relative to the top (the git work tree, or the scanned root): '' at the top. */
  base: string;
  ig: Ignore;
}

function readIgnoreFile(path: string): Ignore | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  return ignore({ allowRelativePaths: true }).add(text);
}

/** The git work tree holding `dir` (a folder with a `.git` folder or file), or null. */
function workTreeOf(dir: string): string | null {
  for (let d = dir; ;) {
    if (existsSync(join(d, '.git'))) return d;
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
}

/** `.git/info/exclude` of a work tree (following a `.git` file's `gitdir:` for worktrees and submodules). */
function infoExcludeOf(workTree: string): Ignore | null {
  const dotGit = join(workTree, '.git');
  let gitDir = dotGit;
  try {
    if (statSync(dotGit).isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
      if (!m) return null;
      gitDir = resolve(workTree, m[1].trim());
      const common = join(gitDir, 'commondir');
      if (existsSync(common)) gitDir = resolve(gitDir, readFileSync(common, 'utf8').trim());
    }
  } catch {
    return null;
  }
  return readIgnoreFile(join(gitDir, 'info', 'exclude'));
}

// ---------------------------------------------------------------------------------------------

function normaliseGlob(g: string): string {
  let s = g.trim().replace(/\\/g, '/');
  if (s.startsWith('./')) s = s.slice(2);
  if (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

interface GlobSet {
  match: (rel: string) => boolean;
  /** Could a path under the folder `rel` match? (to decide whether a skipped folder must be entered) */
  couldMatchUnder: (rel: string) => boolean;
  empty: boolean;
}

function globSet(globs: readonly string[] | undefined): GlobSet {
  const list = (globs ?? []).map(normaliseGlob).filter((g) => g !== '');
  if (list.length === 0) return { match: () => false, couldMatchUnder: () => false, empty: true };
  const matchers = list.map((g) => picomatch(g, { dot: true, basename: !g.includes('/') }));
  const bases = list.map((g) => {
    if (!g.includes('/')) return null; // a name at any depth: matched where it is met
    const s = picomatch.scan(g);
    return s.isGlob ? s.base : g;
  });
  return {
    match: (rel) => matchers.some((m) => m(rel)),
    couldMatchUnder: (rel) =>
      bases.some(
        (b) => b !== null && (b === '' || b === rel || b.startsWith(rel + '/') || rel.startsWith(b + '/')),
      ),
    empty: false,
  };
}

const WILD = /[*?[\]{}()!+@]/;

/** The text after a name's last dot (the whole name when it has none): `app.py` -> `py`, `Procfile` -> `Procfile`. */
function nameKey(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

interface GlobPart {
  extractor: number;
  /** A cheap necessary condition on the file name, from the glob's last segment. */
  cheap: (name: string) => boolean;
  /** The cheap condition is the whole match: no picomatch run needed. */
  exact: boolean;
  full: (rel: string) => boolean;
}

/**
 * Which extractors' `files` globs a file matches. Each glob's last segment gives a cheap condition on
 * the file name (`*.py` -> ends with `.py`, `Procfile` -> is `Procfile`) and, when it fixes the text
 * after the name's last dot, a key: a file is checked only against the globs of its own key (`py`) and
 * those without one (`Dockerfile-*`), instead of every glob of every extractor. A glob `**` + `/` +
 * one-star pattern is decided by the name alone (picomatch's `**` with `dot: true` takes any folders);
 * the others also run picomatch on the relative path.
 */
function fileRouter(extractors: readonly Extractor[]): (rel: string, name: string) => number[] {
  const byKey = new Map<string, GlobPart[]>();
  const unkeyed: GlobPart[] = [];
  extractors.forEach((e, extractor) => {
    for (const g of e.files) {
      const full = picomatch(g, { dot: true });
      const last = g.slice(g.lastIndexOf('/') + 1);
      const brace = /^([^{}]*)\{([^{}]*)\}([^{}]*)$/.exec(last);
      const alts = brace ? brace[2].split(',').map((x) => brace[1] + x + brace[3]) : [last];
      const onlyName = g.startsWith('**/') && !g.slice(3).includes('/');
      for (const a of alts) {
        let cheap: (n: string) => boolean;
        let key: string | null;
        if (!WILD.test(a)) {
          cheap = (n) => n === a;
          key = nameKey(a);
        } else {
          // The literal text before the first and after the last wildcard: `requirements*.txt`,
          // `*nginx*.conf` -> ends with `.conf`, `*.py` -> ends with `.py`.
          const prefix = /^[^*?[\]{}()!+@]*/.exec(a)?.[0] ?? '';
          const suffix = /[^*?[\]{}()!+@]*$/.exec(a)?.[0] ?? '';
          cheap = (n) =>
            n.length >= prefix.length + suffix.length && n.startsWith(prefix) && n.endsWith(suffix);
          key = suffix.includes('.') && !suffix.endsWith('.') ? nameKey(suffix) : null;
        }
        const exact = onlyName && /^[^*?[\]{}()!+@]*\*?[^*?[\]{}()!+@]*$/.test(a);
        const part: GlobPart = { extractor, cheap, exact, full };
        if (key === null) unkeyed.push(part);
        else {
          let list = byKey.get(key);
          if (!list) byKey.set(key, (list = []));
          list.push(part);
        }
      }
    }
  });
  const none: GlobPart[] = [];
  return (rel, name) => {
    const keyed = byKey.get(nameKey(name)) ?? none;
    if (keyed.length === 0 && unkeyed.length === 0) return [];
    const hit = new Set<number>();
    for (const list of [keyed, unkeyed])
      for (const p of list)
        if (!hit.has(p.extractor) && p.cheap(name) && (p.exact || p.full(rel))) hit.add(p.extractor);
    return [...hit].sort((x, y) => x - y);
  };
}

export interface DiscoveryStats {
  /** Folders read. */
  dirs: number;
  /** Directory entries looked at. */
  entries: number;
  /** Files handed to the extractors. */
  candidates: number;
}

/**
 * Walks the scan targets and yields candidates, a folder's worth at a time (in no particular order:
 * the engine sorts what comes out of them). Yields to the event loop
 * every few hundred entries so that worker results are handled while the walk goes on.
 */
export async function* discover(
  targets: ScanTargets,
  extractors: readonly Extractor[],
  opts: DiscoverOptions,
  errors: ReportError[],
  stats: DiscoveryStats = { dirs: 0, entries: 0, candidates: 0 },
): AsyncGenerator<Candidate[]> {
  const root = targets.root;
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    realRoot = root;
  }
  const include = globSet(opts.include);
  const exclude = globSet(opts.exclude);
  const router = fileRouter(extractors);
  const extractorsFor = (rel: string): number[] => router(rel, rel.slice(rel.lastIndexOf('/') + 1));

  // Ignore files: the top is the git work tree when the root lies in one, else the root.
  const workTree = workTreeOf(root);
  const top = workTree ?? root;
  const topPrefix = toPosix(relative(top, root));
  const toTop = (rel: string) => (topPrefix === '' ? rel : rel === '' ? topPrefix : `${topPrefix}/${rel}`);
  const ignoreFiles = new Map<string, Ignore | null>();
  const levelAt = (absDir: string): IgnoreLevel | null => {
    let ig = ignoreFiles.get(absDir);
    if (ig === undefined) {
      ig = readIgnoreFile(join(absDir, '.gitignore'));
      ignoreFiles.set(absDir, ig);
    }
    return ig ? { base: toPosix(relative(top, absDir)), ig } : null;
  };
  const infoExclude = workTree ? infoExcludeOf(workTree) : null;
  /** Levels for the folders from the top down to `absDir`'s parent (inclusive of the top). */
  const levelsAbove = (absDir: string): IgnoreLevel[] => {
    const chain: string[] = [];
    for (let d = dirname(absDir); ; d = dirname(d)) {
      if (d.length < top.length || !(d === top || d.startsWith(top.endsWith(sep) ? top : top + sep))) break;
      chain.unshift(d);
      if (d === top) break;
    }
    if (absDir === top) chain.length = 0;
    const levels: IgnoreLevel[] = [];
    if (infoExclude) levels.push({ base: '', ig: infoExclude });
    for (const d of chain) {
      const l = levelAt(d);
      if (l) levels.push(l);
    }
    return levels;
  };
  const ignored = (levels: IgnoreLevel[], rel: string, isDir: boolean): boolean =>
    levels.length > 0 && ignoredFromTop(levels, toTop(rel), isDir);
  const ignoredFromTop = (levels: IgnoreLevel[], full: string, isDir: boolean): boolean => {
    for (let i = levels.length - 1; i >= 0; i--) {
      const { base, ig } = levels[i];
      let sub: string;
      if (base === '') sub = full;
      else if (full.startsWith(base + '/')) sub = full.slice(base.length + 1);
      else continue;
      const r = ig.test(isDir ? sub + '/' : sub);
      if (r.ignored) return true;
      if (r.unignored) return false;
    }
    return false;
  };

  const inside = (real: string) =>
    real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  const seen = new Set<string>();
  const visitedDirs = new Set<string>();
  let sinceYield = 0;

  const candidate = (
    rel: string,
    absPath: string,
    idx: number[],
    inTestCode = isTestPath(rel),
  ): Candidate => {
    stats.candidates++;
    return { file: rel, absPath, extractors: idx, language: languageOf(rel), inTestCode };
  };

  // Explicit files: always considered (the user named them), still only if an extractor wants them.
  for (const abs of targets.files) {
    const rel = toPosix(relative(root, abs));
    if (seen.has(rel)) continue;
    const idx = extractorsFor(rel);
    if (idx.length === 0) {
      errors.push({ file: rel, message: `skipped ${rel}: no extractor reads this kind of file` });
      continue;
    }
    seen.add(rel);
    yield [candidate(rel, abs, idx)];
  }

  interface Frame {
    abs: string;
    rel: string;
    levels: IgnoreLevel[];
    /** Inside a skipped or ignored folder entered only because an include glob may match below. */
    onlyIncluded: boolean;
    /** Covered by an include glob matching this folder or an ancestor. */
    included: boolean;
    explicit: boolean;
    /** The folder is (inside) a test or fixture folder. */
    testDir: boolean;
  }

  for (const startAbs of targets.dirs) {
    const startRel = toPosix(relative(root, startAbs));
    let startLevels = levelsAbove(startAbs);
    const fromTop = toPosix(relative(top, startAbs));
    // A folder named on the command line is scanned even when a .gitignore above it ignores it (as
    // ripgrep does); the ignore files above it are then left out, since they would ignore all of it.
    if (fromTop !== '' && ignoredFromTop(startLevels, fromTop, true)) startLevels = [];
    const stack: Frame[] = [
      {
        abs: startAbs,
        rel: startRel,
        levels: startLevels,
        onlyIncluded: false,
        included: false,
        explicit: true,
        testDir: startRel !== '' && isTestPath(`${startRel}/x`),
      },
    ];
    while (stack.length > 0) {
      const frame = stack.pop() as Frame;
      const { abs, rel } = frame;
      let dirStat;
      try {
        dirStat = statSync(abs);
      } catch (e) {
        errors.push({ file: rel || '.', message: `cannot read folder ${rel || '.'}: ${errnoText(e)}` });
        continue;
      }
      const id = `${dirStat.dev}:${dirStat.ino}`;
      if (visitedDirs.has(id)) {
        errors.push({
          file: rel || '.',
          message: `skipped ${rel}/: folder already scanned under another path (a filesystem loop)`,
        });
        continue;
      }
      visitedDirs.add(id);
      let entries: Dirent[];
      try {
        entries = readdirSync(abs, { withFileTypes: true });
      } catch (e) {
        errors.push({ file: rel || '.', message: `cannot read folder ${rel || '.'}: ${errnoText(e)}` });
        continue;
      }
      stats.dirs++;
      let venv = false;
      let gitignore = false;
      for (const d of entries) {
        if (d.name === 'pyvenv.cfg') venv = true;
        else if (d.name === '.gitignore') gitignore = true;
      }
      if (venv && !frame.explicit && !frame.included) continue; // a Python virtualenv
      let levels = frame.levels;
      if (gitignore) {
        const l = levelAt(abs);
        if (l) levels = [...levels, l];
      }
      // (No sorting: the order of discovery does not show in the results, which are sorted.)
      const absPrefix = abs.endsWith(sep) ? abs : abs + sep;
      const subdirs: Frame[] = [];
      const found: Candidate[] = [];
      for (const ent of entries) {
        stats.entries++;
        if (++sinceYield >= 512) {
          sinceYield = 0;
          await new Promise<void>((r) => setImmediate(r));
        }
        const name = ent.name;
        const childRel = rel === '' ? name : `${rel}/${name}`;
        const childAbs = absPrefix + name;
        if (!exclude.empty && exclude.match(childRel)) continue;
        const included = frame.included || (!include.empty && include.match(childRel));

        let kind: 'dir' | 'file' | 'link' | 'other' = ent.isDirectory()
          ? 'dir'
          : ent.isFile()
            ? 'file'
            : ent.isSymbolicLink()
              ? 'link'
              : 'other';
        if (
          kind === 'other' &&
          !(ent.isFIFO() || ent.isSocket() || ent.isBlockDevice() || ent.isCharacterDevice())
        ) {
          // The file system did not say (DT_UNKNOWN): ask.
          try {
            const st = lstatSync(childAbs);
            kind = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : st.isSymbolicLink() ? 'link' : 'other';
          } catch {
            continue;
          }
        }

        let readAs = childAbs;
        if (kind === 'link') {
          let real: string;
          try {
            real = realpathSync(childAbs);
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if (code === 'ELOOP')
              errors.push({ file: childRel, message: `skipped ${childRel}: symbolic link loop` });
            continue; // dangling links are common (editor lock files): nothing to say
          }
          let st;
          try {
            st = statSync(real);
          } catch {
            continue;
          }
          if (st.isDirectory()) {
            if (frame.onlyIncluded && !included) continue;
            if (!inside(real)) {
              errors.push({
                file: childRel,
                message: `skipped ${childRel}/: symbolic link to a folder outside the scanned root (not followed)`,
              });
            } else {
              let realHere: string;
              try {
                realHere = realpathSync(abs);
              } catch {
                realHere = abs;
              }
              if (realHere === real || realHere.startsWith(real.endsWith(sep) ? real : real + sep)) {
                errors.push({
                  file: childRel,
                  message: `skipped ${childRel}/: symbolic link to an enclosing folder (a loop, not followed)`,
                });
              }
              // Other links to folders inside the root: the target is scanned where it lies.
            }
            continue;
          }
          if (!st.isFile()) continue;
          if (!inside(real)) {
            if (extractorsFor(childRel).length > 0 && !(frame.onlyIncluded && !included)) {
              errors.push({
                file: childRel,
                message: `skipped ${childRel}: symbolic link to a file outside the scanned root (not followed)`,
              });
            }
            continue;
          }
          kind = 'file';
          readAs = childAbs;
        }

        if (kind === 'dir') {
          const skipped = DEFAULT_SKIPPED_DIRS.has(name) || ignored(levels, childRel, true);
          if (skipped && !included) {
            if (!include.empty && include.couldMatchUnder(childRel)) {
              subdirs.push({
                abs: childAbs,
                rel: childRel,
                levels,
                onlyIncluded: true,
                included: false,
                explicit: false,
                testDir: frame.testDir || TEST_DIRS.has(name.toLowerCase()),
              });
            }
            continue;
          }
          subdirs.push({
            abs: childAbs,
            rel: childRel,
            levels,
            onlyIncluded: frame.onlyIncluded && !included,
            included,
            explicit: false,
            testDir: frame.testDir || TEST_DIRS.has(name.toLowerCase()),
          });
          continue;
        }

        if (kind === 'other') {
          if (extractorsFor(childRel).length > 0 && !(frame.onlyIncluded && !included)) {
            errors.push({ file: childRel, message: `skipped ${childRel}: not a regular file` });
          }
          continue;
        }

        // A regular file (or a link to one inside the root).
        if (frame.onlyIncluded && !included) continue;
        const idx = extractorsFor(childRel);
        if (idx.length === 0) continue;
        if (!included && (isMinifiedName(name) || ignored(levels, childRel, false))) continue;
        if (seen.has(childRel)) continue;
        seen.add(childRel);
        found.push(candidate(childRel, readAs, idx, frame.testDir || isTestPath(name)));
      }
      if (found.length > 0) yield found;
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
    }
  }
}

/** Why a file or folder found by the walk could not be read (it may have gone since it was listed). */
export function errnoText(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'it no longer exists';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'not a folder';
    default:
      return describeFsError(e);
  }
}
