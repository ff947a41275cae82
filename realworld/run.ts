/**
 * `npm run realworld`: scores `cookieguard scan` against the reviewed truth of every corpus project
 * whose snapshot is on this machine (realworld/README.md). Projects without a snapshot are skipped
 * and named.
 *
 *   node dist/realworld/run.js [WORD ...] [--details] [--json FILE]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  addScore,
  emptyTotals,
  ratios,
  scoreProject,
  TruthError,
  validateTruth,
  type ProjectScore,
  type ReportedFinding,
  type Totals,
  type Truth,
} from './score.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const truthDir = join(repoRoot, 'realworld', 'truth');
/** The scanner scored: this repository's build, or another one (`REALWORLD_BIN`, e.g. a baseline's). */
const bin = process.env.REALWORLD_BIN
  ? resolve(process.env.REALWORLD_BIN)
  : join(repoRoot, 'bin', 'cookieguard.js');

function mirrorDirs(): string[] {
  const env = process.env.REALWORLD_MIRRORS;
  const dirs = env ? env.split(':').filter((d) => d !== '') : [];
  dirs.push('/work/.mirror');
  return dirs;
}

/** The bare git directory holding `repo`'s snapshot, if any. */
function findGitDir(repo: string): string | null {
  const key = repo.replace('/', '+');
  for (const d of mirrorDirs()) {
    for (const c of [join(d, key, 'repo'), join(d, `${key}.git`), join(d, key)]) {
      if (existsSync(join(c, 'HEAD')) && existsSync(join(c, 'objects'))) return c;
    }
  }
  return null;
}

function hasCommit(gitDir: string, commit: string): boolean {
  const r = spawnSync('git', ['--git-dir', gitDir, 'cat-file', '-e', `${commit}^{commit}`], {
    stdio: 'ignore',
  });
  return r.status === 0;
}

function cacheRoot(): string {
  if (process.env.REALWORLD_CACHE) return resolve(process.env.REALWORLD_CACHE);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'cookieguard-realworld');
}

/**
 * Writes the files of `commit` into `dir` blob by blob (git ls-tree + git cat-file), not with git
 * archive: a snapshot may lack a large blob (the tool that brings snapshots drops files over 4 MiB),
 * which makes git archive fail, and git archive honours `export-ignore` (tests left out). Missing
 * blobs are counted and skipped; symbolic links are recreated; submodules are left out.
 */
function extract(gitDir: string, commit: string, dir: string): { files: number; missing: string[] } {
  const tree = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', '--full-tree', commit], {
    maxBuffer: 512 << 20,
  }).toString('utf8');
  const entries: { mode: string; sha: string; path: string }[] = [];
  for (const rec of tree.split('\0')) {
    if (rec === '') continue;
    const tab = rec.indexOf('\t');
    const [mode, type, sha] = rec.slice(0, tab).split(' ');
    if (type !== 'blob') continue;
    entries.push({ mode: mode!, sha: sha!, path: rec.slice(tab + 1) });
  }
  const missing: string[] = [];
  let files = 0;
  const CHUNK = 2000;
  for (let i = 0; i < entries.length; i += CHUNK) {
    const part = entries.slice(i, i + CHUNK);
    const out = execFileSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], {
      input: part.map((e) => e.sha).join('\n') + '\n',
      maxBuffer: 1536 << 20,
    });
    let at = 0;
    for (const e of part) {
      const nl = out.indexOf(10, at);
      const header = out.subarray(at, nl).toString('utf8');
      at = nl + 1;
      const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!m) {
        missing.push(e.path);
        continue;
      }
      const size = Number(m[2]);
      const body = out.subarray(at, at + size);
      at += size + 1;
      if (e.path.split('/').some((seg) => seg === '..' || seg === '.git')) continue;
      const target = join(dir, e.path);
      mkdirSync(dirname(target), { recursive: true });
      if (e.mode === '120000') symlinkSync(body.toString('utf8'), target);
      else writeFileSync(target, body, { mode: e.mode === '100755' ? 0o755 : 0o644 });
      files++;
    }
  }
  return { files, missing };
}

/** Extracts the pinned commit once (outside this repository, so that its .gitignore cannot apply). */
function checkout(truth: Truth, gitDir: string): { dir: string; missing: number } {
  const dir = join(cacheRoot(), truth.project);
  const stamp = join(dir, '.realworld-commit');
  if (existsSync(stamp)) {
    const [commit, missing] = readFileSync(stamp, 'utf8').trim().split(' ');
    if (commit === truth.commit) return { dir, missing: Number(missing ?? 0) };
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const { missing } = extract(gitDir, truth.commit, tmp);
  writeFileSync(join(tmp, '.realworld-commit'), `${truth.commit} ${missing.length}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, missing: missing.length };
}

interface ScanRun {
  findings: ReportedFinding[];
  errors: number;
  ms: number;
}

function runScan(target: string): ScanRun {
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    [bin, 'scan', target, '--format', 'json', '--fail-on', 'none', '--quiet'],
    {
      cwd: target,
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      timeout: 15 * 60_000,
    },
  );
  const ms = Date.now() - started;
  if (r.status !== 0)
    throw new Error(`scan exited with ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n')[0]}`);
  const report = JSON.parse(r.stdout) as { findings: ReportedFinding[]; errors: unknown[] };
  return { findings: report.findings, errors: report.errors.length, ms };
}

function loadTruths(filters: readonly string[]): Truth[] {
  const out: Truth[] = [];
  for (const name of readdirSync(truthDir).sort()) {
    if (!name.endsWith('.yaml')) continue;
    const t = validateTruth(parse(readFileSync(join(truthDir, name), 'utf8')), name);
    if (`${t.project}.yaml` !== name) throw new TruthError(`${name}: project is ${t.project}`);
    if (filters.length === 0 || filters.some((f) => t.project.includes(f))) out.push(t);
  }
  return out;
}

const pct = (x: number) => x.toFixed(2);
const pad = (s: string | number, n: number) => String(s).padEnd(n);
const lpad = (s: string | number, n: number) => String(s).padStart(n);
const where = (r: ReportedFinding) => (r.location ? `${r.location.file}:${r.location.line}` : '-');

function details(truth: Truth, s: ProjectScore): string[] {
  const lines: string[] = [];
  for (const m of s.missed) {
    const a = m.truth.at[0]!;
    const as = m.reportedAs ? ` (reported at ${m.reportedAs.severity})` : '';
    lines.push(
      `    missed ${m.truth.severity} ${m.truth.rule} ${m.truth.cookie ?? '-'} ${a.file}:${a.line}${as} [${m.truth.id}]`,
    );
  }
  for (const f of s.falseAlarms) {
    const r = f.reported;
    const trap = f.trap ? ` <- trap: ${(f.trap.why ?? '').replace(/\s+/g, ' ').slice(0, 100)}` : '';
    lines.push(
      `    alarm  ${r.severity} ${r.rule} ${r.cookie ?? '-'} ${where(r)}: ${r.message.slice(0, 110)}${trap}`,
    );
  }
  for (const p of s.severityDiffs) {
    lines.push(
      `    severity ${p.truth.id}: truth ${p.truth.severity}, reported ${p.reported.severity} (${p.reported.rule} ${where(p.reported)})`,
    );
  }
  for (const u of s.unresolved.filter((x) => !x.found)) {
    lines.push(`    not said unresolved: ${u.truth.setting} ${u.truth.at[0]!.file}:${u.truth.at[0]!.line}`);
  }
  for (const r of s.extraUnresolved)
    lines.push(`    unresolved (not in truth): ${r.cookie ?? '-'} ${where(r)}: ${r.message.slice(0, 110)}`);
  if (lines.length > 0) lines.unshift(`  ${truth.project}:`);
  return lines;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const showDetails = args.includes('--details');
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const filters = args.filter((a, i) => !a.startsWith('--') && (jsonAt < 0 || i !== jsonAt + 1));
  let truths: Truth[];
  try {
    truths = loadTruths(filters);
  } catch (e) {
    process.stderr.write(`realworld: ${(e as Error).message}\n`);
    return 2;
  }
  if (
    !existsSync(bin) ||
    (!process.env.REALWORLD_BIN && !existsSync(join(repoRoot, 'dist', 'src', 'cli', 'main.js')))
  ) {
    process.stderr.write('realworld: build first (npm run build)\n');
    return 2;
  }
  const skipped: string[] = [];
  const rows: string[] = [];
  const more: string[] = [];
  const byLang = new Map<string, Totals>();
  const overall = emptyTotals();
  const results: unknown[] = [];
  rows.push(
    `${pad('project', 18)}${pad('lang', 11)}${pad('commit', 10)}${lpad('expected', 9)}${lpad('found', 7)}${lpad('missed', 8)}${lpad('alarms', 8)}${lpad('unresolved', 12)}${lpad('seconds', 9)}`,
  );
  for (const t of truths) {
    const gitDir = findGitDir(t.repo);
    if (gitDir === null) {
      skipped.push(`${t.project} (${t.repo}: no snapshot on this machine)`);
      continue;
    }
    if (!hasCommit(gitDir, t.commit)) {
      skipped.push(`${t.project} (${t.repo}: the snapshot lacks commit ${t.commit.slice(0, 10)})`);
      continue;
    }
    let run: ScanRun;
    let missingBlobs: number;
    try {
      const { dir, missing } = checkout(t, gitDir);
      missingBlobs = missing;
      run = runScan(t.scan ? join(dir, t.scan) : dir);
    } catch (e) {
      skipped.push(`${t.project} (${(e as Error).message})`);
      continue;
    }
    const s = scoreProject(t, run.findings);
    const lang = byLang.get(t.language) ?? emptyTotals();
    byLang.set(t.language, lang);
    addScore(lang, s);
    addScore(overall, s);
    const unres = `${s.unresolved.filter((u) => u.found).length}/${s.unresolved.length}+${s.extraUnresolved.length}`;
    rows.push(
      `${pad(t.project, 18)}${pad(t.language, 11)}${pad(t.commit.slice(0, 8), 10)}${lpad(s.expected.length, 9)}${lpad(s.found.length, 7)}${lpad(s.missed.length, 8)}${lpad(s.falseAlarms.length, 8)}${lpad(unres, 12)}${lpad((run.ms / 1000).toFixed(1), 9)}`,
    );
    if (showDetails) more.push(...details(t, s));
    results.push({
      project: t.project,
      repo: t.repo,
      commit: t.commit,
      language: t.language,
      expected: s.expected.length,
      found: s.found.length,
      missed: s.missed.map((m) => m.truth.id),
      falseAlarms: s.falseAlarms.map((f) => ({
        rule: f.reported.rule,
        cookie: f.reported.cookie,
        at: where(f.reported),
      })),
      scanErrors: run.errors,
      missingBlobs,
      seconds: run.ms / 1000,
    });
  }
  const out: string[] = [...rows, ''];
  out.push(
    `${pad('language', 14)}${lpad('projects', 9)}${lpad('recall', 8)}${lpad('found', 10)}${lpad('precision', 11)}${lpad('alarms/project', 16)}`,
  );
  const totalRow = (name: string, t: Totals) => {
    const r = ratios(t);
    return `${pad(name, 14)}${lpad(t.projects, 9)}${lpad(pct(r.recall), 8)}${lpad(`${t.found}/${t.expected}`, 10)}${lpad(pct(r.precision), 11)}${lpad(pct(r.alarmsPerProject), 16)}`;
  };
  for (const lang of ['php', 'python', 'javascript']) {
    const t = byLang.get(lang);
    if (t) out.push(totalRow(lang, t));
  }
  out.push(totalRow('overall', overall));
  out.push(`unresolved configurations said: ${overall.unresolvedFound}/${overall.unresolvedExpected}`);
  if (skipped.length > 0) out.push('', `skipped ${skipped.length}:`, ...skipped.map((s) => `  ${s}`));
  if (more.length > 0) out.push('', 'details:', ...more);
  process.stdout.write(`${out.join('\n')}\n`);
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ overall, results }, null, 2)}\n`);
  return overall.projects === 0 ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`realworld: ${(e as Error).message}\n`);
    process.exit(2);
  },
);
