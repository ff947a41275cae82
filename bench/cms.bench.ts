/**
 * `npm run bench -- cms`: peak memory and time of `cookieguard scan` on a PHP CMS tree of about
 * 5,000 files: two WordPress core installs side by side (site-a/, site-b/, as a host serving two
 * sites keeps them), taken from Debian's `wordpress` package (downloaded with `apt-get download`
 * and unpacked with `dpkg-deb -x` into .bench-tmp/: nothing is installed). A real CMS has large PHP
 * files full of cookie code (pluggable.php, class-wp-session-tokens.php), which the generated tree
 * of scan.bench.ts does not.
 *
 * Target: peak RSS (VmHWM of the scanning process, worker threads included, read from /proc) at most
 * 200 MB with the default worker count. The time is printed beside ripgrep's over the same tree (the floor for reading it).
 * Skipped, with a message, where Debian's package cannot be had.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROOT = join(REPO, '.bench-tmp', 'php-cms');
const TREE = join(ROOT, 'tree');
const RUNS = Number(process.env.CMS_BENCH_RUNS ?? 5);
const TARGET_MB = 200;

function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countFiles(join(dir, e.name));
    else if (e.isFile()) n++;
  }
  return n;
}

/** WordPress core from Debian: the installed package, else the .deb unpacked here. */
function wordpressCore(): string | null {
  if (existsSync('/usr/share/wordpress/wp-includes/pluggable.php')) return '/usr/share/wordpress';
  const unpacked = join(ROOT, 'deb', 'usr', 'share', 'wordpress');
  if (existsSync(join(unpacked, 'wp-includes', 'pluggable.php'))) return unpacked;
  mkdirSync(ROOT, { recursive: true });
  const dl = spawnSync('apt-get', ['download', 'wordpress'], { cwd: ROOT, encoding: 'utf8' });
  const deb = readdirSync(ROOT).find((f) => /^wordpress_.*\.deb$/.test(f));
  if (dl.status !== 0 || !deb) {
    console.log(
      `skipped: Debian's wordpress package could not be downloaded (${(dl.stderr || '').trim().split('\n').pop()})`,
    );
    return null;
  }
  const x = spawnSync('dpkg-deb', ['-x', join(ROOT, deb), join(ROOT, 'deb')], { encoding: 'utf8' });
  if (x.status !== 0) {
    console.log(`skipped: dpkg-deb could not unpack ${deb}: ${x.stderr.trim()}`);
    return null;
  }
  return unpacked;
}

function ensureTree(): number | null {
  if (existsSync(join(TREE, 'site-b', 'wp-includes', 'pluggable.php'))) return countFiles(TREE);
  const core = wordpressCore();
  if (core === null) return null;
  rmSync(TREE, { recursive: true, force: true });
  for (const site of ['site-a', 'site-b']) copyTree(core, join(TREE, site));
  return countFiles(TREE);
}

/** Files and folders only: Debian links a few bundled libraries (getID3, some JavaScript) to other packages. */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) copyTree(join(from, e.name), join(to, e.name));
    else if (e.isFile()) copyFileSync(join(from, e.name), join(to, e.name));
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** One command in a child process: wall time and the exit status. */
function timed(cmd: string, args: string[]): { ms: number; status: number | null; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  return { ms: performance.now() - t0, status: r.status, stdout: r.stdout ?? '' };
}

/**
 * The child: the real command line (src/cli/main.ts) in this process, its report to /dev/null,
 * then the process's peak RSS (VmHWM, worker threads included) on stdout.
 */
async function child(args: string[]): Promise<void> {
  const { main } = await import('../src/cli/main.js');
  const code = await main([...args, '--output', '/dev/null']);
  const status = readFileSync('/proc/self/status', 'utf8');
  process.stdout.write(
    `${JSON.stringify({ code, vmHwmKb: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) })}\n`,
  );
}

function measure(args: string[]): { ms: number; rssMb: number } {
  const r = timed(process.execPath, [fileURLToPath(import.meta.url), '--child', ...args]);
  if (r.status !== 0) throw new Error(`scan child failed (${r.status})`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { code: number; vmHwmKb: number };
  if (out.code !== 0) throw new Error(`scan exited with ${out.code}`);
  return { ms: r.ms, rssMb: out.vmHwmKb / 1024 };
}

function main(): void {
  const files = ensureTree();
  if (files === null) return;
  const scan = ['scan', TREE, '--format', 'json', '--fail-on', 'none', '--quiet'];
  console.log(`tree: ${files} files, two WordPress core installs (${TREE})`);
  const rg = '/usr/bin/rg';
  spawnSync(rg, ['-l', '-i', '-e', 'cookie', '-e', 'session', TREE]); // warm the page cache
  const t = { rg: [] as number[], scan: [] as number[], single: [] as number[] };
  const rss = { scan: [] as number[], single: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    if (existsSync(rg)) t.rg.push(timed(rg, ['-l', '-i', '-e', 'cookie', '-e', 'session', TREE]).ms);
    const a = measure(scan);
    const b = measure([...scan, '--workers', '1']);
    t.scan.push(a.ms);
    rss.scan.push(a.rssMb);
    t.single.push(b.ms);
    rss.single.push(b.rssMb);
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const peak = Math.max(...rss.scan);
  if (t.rg.length) console.log(`rg -l -i -e cookie -e session   ${s(median(t.rg))}`);
  console.log(
    `cookieguard scan (default workers)   ${s(median(t.scan))}   peak RSS ${rss.scan.map((x) => x.toFixed(0)).join(', ')} MB`,
  );
  console.log(
    `cookieguard scan --workers 1         ${s(median(t.single))}   peak RSS ${rss.single.map((x) => x.toFixed(0)).join(', ')} MB`,
  );
  if (t.rg.length) console.log(`ratio scan / rg: ${(median(t.scan) / median(t.rg)).toFixed(1)}x`);
  console.log(
    `peak RSS with the default workers: ${peak.toFixed(0)} MB (target <= ${TARGET_MB} MB: ${peak <= TARGET_MB ? 'met' : 'MISSED'})`,
  );
  if (peak > TARGET_MB) process.exitCode = 1;
}

if (process.argv[2] === '--child') await child(process.argv.slice(3));
else main();
