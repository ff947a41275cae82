/**
 * `cookieguard dev trust` / `untrust`: install the development CA into the trust stores browsers and
 * tools read, and remove it again.
 *
 * - System store. Debian / Ubuntu: the certificate is copied to
 *   /usr/local/share/ca-certificates/cookieguard.crt (the directory update-ca-certificates(8) reads
 *   local certificates from; files must end in .crt) and `update-ca-certificates` is run; removing
 *   the file and running it again removes the certificate (it drops links to files that are gone).
 *   Other systems get the exact command printed, not run: Fedora/RHEL `update-ca-trust`
 *   (/etc/pki/ca-trust/source/anchors), Arch `trust anchor`, openSUSE
 *   /etc/pki/trust/anchors + update-ca-certificates, macOS `security add-trusted-cert`,
 *   Windows `certutil -addstore`.
 * - NSS databases (Chrome/Chromium on Linux read ~/.pki/nssdb; Firefox each profile's cert9.db):
 *   `certutil -A -d sql:DIR -t C,, -n NICKNAME -i ca.pem` ("C": a trusted CA for TLS servers;
 *   NSS certutil(1)), removed with `certutil -D -d sql:DIR -n NICKNAME`. The nickname carries the
 *   CA's fingerprint so that untrust removes exactly this CA.
 * - Node.js does not read the system store: the `NODE_EXTRA_CA_CERTS` line is printed.
 *
 * Every store is tried even when one fails; the result says which failed and why.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { DevCa } from './ca-store.js';
import { shortId } from './ca-store.js';

export const DEBIAN_CERT_FILE = '/usr/local/share/ca-certificates/cookieguard.crt';

export type SystemKind = 'debian' | 'fedora' | 'arch' | 'suse' | 'macos' | 'windows' | 'unknown';

export interface SystemTrustPlan {
  kind: SystemKind;
  /** Human name of the store. */
  label: string;
  /** True when this module runs the commands itself (Debian / Ubuntu); else they are printed. */
  automatic: boolean;
  install: string[][];
  remove: string[][];
}

export interface SystemProbe {
  platform: NodeJS.Platform;
  exists(path: string): boolean;
}

function quote(arg: string): string {
  return /^[A-Za-z0-9@%_+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line for people to copy: arguments quoted for a POSIX shell. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(quote).join(' ');
}

/** What installing the CA into the system store takes on this system (pure: the probe says what exists). */
export function systemTrustPlan(caFile: string, commonName: string, probe: SystemProbe): SystemTrustPlan {
  if (probe.platform === 'darwin') {
    return {
      kind: 'macos',
      label: 'macOS System keychain',
      automatic: false,
      install: [
        [
          'sudo',
          'security',
          'add-trusted-cert',
          '-d',
          '-r',
          'trustRoot',
          '-k',
          '/Library/Keychains/System.keychain',
          caFile,
        ],
      ],
      remove: [
        ['sudo', 'security', 'remove-trusted-cert', '-d', caFile],
        ['sudo', 'security', 'delete-certificate', '-c', commonName, '/Library/Keychains/System.keychain'],
      ],
    };
  }
  if (probe.platform === 'win32') {
    return {
      kind: 'windows',
      label: 'Windows certificate store (ROOT)',
      automatic: false,
      install: [['certutil', '-addstore', '-f', 'ROOT', caFile]],
      remove: [['certutil', '-delstore', 'ROOT', commonName]],
    };
  }
  const has = (p: string) => probe.exists(p);
  if (
    (has('/usr/sbin/update-ca-certificates') || has('/usr/bin/update-ca-certificates')) &&
    has('/usr/local/share/ca-certificates')
  ) {
    return {
      kind: 'debian',
      label: 'system store (Debian/Ubuntu ca-certificates)',
      automatic: true,
      install: [['cp', caFile, DEBIAN_CERT_FILE], ['update-ca-certificates']],
      // Without --fresh, update-ca-certificates leaves the /etc/ssl/certs links of a removed file
      // dangling (it prunes orphans only when its own added/removed counts change: Debian 12's script).
      remove: [
        ['rm', '-f', DEBIAN_CERT_FILE],
        ['update-ca-certificates', '--fresh'],
      ],
    };
  }
  if (has('/usr/bin/update-ca-trust') || has('/usr/sbin/update-ca-trust')) {
    const anchor = '/etc/pki/ca-trust/source/anchors/cookieguard.pem';
    return {
      kind: 'fedora',
      label: 'system store (Fedora/RHEL ca-trust)',
      automatic: false,
      install: [
        ['sudo', 'cp', caFile, anchor],
        ['sudo', 'update-ca-trust', 'extract'],
      ],
      remove: [
        ['sudo', 'rm', '-f', anchor],
        ['sudo', 'update-ca-trust', 'extract'],
      ],
    };
  }
  if (has('/usr/sbin/update-ca-certificates') && has('/etc/pki/trust/anchors')) {
    const anchor = '/etc/pki/trust/anchors/cookieguard.pem';
    return {
      kind: 'suse',
      label: 'system store (openSUSE)',
      automatic: false,
      install: [
        ['sudo', 'cp', caFile, anchor],
        ['sudo', 'update-ca-certificates'],
      ],
      remove: [
        ['sudo', 'rm', '-f', anchor],
        ['sudo', 'update-ca-certificates'],
      ],
    };
  }
  if (has('/usr/bin/trust')) {
    return {
      kind: 'arch',
      label: 'system store (p11-kit trust)',
      automatic: false,
      install: [['sudo', 'trust', 'anchor', '--store', caFile]],
      remove: [['sudo', 'trust', 'anchor', '--remove', caFile]],
    };
  }
  return { kind: 'unknown', label: 'system store', automatic: false, install: [], remove: [] };
}

/** NSS database nickname of this CA (its fingerprint in it, so untrust removes exactly this CA). */
export function nssNickname(devCa: Pick<DevCa, 'certPem'>): string {
  return `cookieguard local CA ${shortId(devCa.certPem)}`;
}

export interface NssDatabase {
  dir: string;
  /** Chrome/Chromium, Firefox profile NAME, or the path given with --nss-db. */
  label: string;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * NSS databases of browsers under `home`: Chrome/Chromium's ~/.pki/nssdb (also the snap's), and every
 * Firefox profile holding a cert9.db (classic, snap and flatpak installs).
 */
export function findNssDatabases(home: string): NssDatabase[] {
  const out: NssDatabase[] = [];
  const chrome = [
    [join(home, '.pki', 'nssdb'), 'Chrome/Chromium'],
    [join(home, 'snap', 'chromium', 'current', '.pki', 'nssdb'), 'Chromium (snap)'],
  ] as const;
  for (const [dir, label] of chrome) {
    if (existsSync(join(dir, 'cert9.db'))) out.push({ dir, label });
  }
  const firefoxRoots = [
    join(home, '.mozilla', 'firefox'),
    join(home, 'snap', 'firefox', 'common', '.mozilla', 'firefox'),
    join(home, '.var', 'app', 'org.mozilla.firefox', '.mozilla', 'firefox'),
  ];
  for (const root of firefoxRoots) {
    if (!isDir(root)) continue;
    let entries: string[];
    try {
      entries = readdirSync(root).sort();
    } catch {
      continue;
    }
    for (const name of entries) {
      const dir = join(root, name);
      if (existsSync(join(dir, 'cert9.db'))) out.push({ dir, label: `Firefox profile ${name}` });
    }
  }
  return out;
}

export interface StoreResult {
  store: string;
  ok: boolean;
  /** What was done, or why it failed. */
  detail: string;
  /** Commands for the user to run (other systems, missing privileges). */
  commands?: string[];
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started (ENOENT ...). */
  spawnError?: string;
}

/** Runs a program without a shell, bounded in time. */
export function runCommand(argv: readonly string[], timeoutMs = 30_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: unknown; killed?: boolean }) | null;
      if (e && typeof e.code === 'string') {
        resolve({ code: -1, stdout: stdout ?? '', stderr: stderr ?? '', spawnError: e.code });
        return;
      }
      if (e?.killed) {
        resolve({
          code: -1,
          stdout: stdout ?? '',
          stderr: stderr ?? '',
          spawnError: `timed out after ${timeoutMs} ms`,
        });
        return;
      }
      resolve({
        code: e ? (typeof e.code === 'number' ? e.code : 1) : 0,
        stdout: stdout ?? '',
        stderr: stderr ?? '',
      });
    });
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split(/\r?\n/).filter(Boolean);
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}

export interface TrustOptions {
  devCa: DevCa;
  /** Databases given with --nss-db (then no others are looked for). */
  nssDbs?: readonly string[];
  /** Skip the system store. */
  noSystem?: boolean;
  /** Skip the NSS databases. */
  noNss?: boolean;
  /** Print what would be done, change nothing. */
  dryRun?: boolean;
  home: string;
  probe: SystemProbe;
  /** Whether the process may write system files (root on POSIX). */
  privileged: boolean;
  /** Runs external programs (tests can observe; default runCommand). */
  run?: (argv: readonly string[]) => Promise<CommandResult>;
}

function nssTargets(opts: TrustOptions): NssDatabase[] {
  if (opts.nssDbs && opts.nssDbs.length > 0) {
    return opts.nssDbs.map((d) => ({
      dir: d.replace(/^sql:/, ''),
      label: `NSS database ${d.replace(/^sql:/, '')}`,
    }));
  }
  return findNssDatabases(opts.home).map((d) => ({ dir: d.dir, label: `${d.label} (${d.dir})` }));
}

async function certutilAvailable(run: TrustOptions['run'] & object): Promise<boolean> {
  const r = await run(['certutil', '-H']);
  return r.spawnError !== 'ENOENT';
}

const CERTUTIL_MISSING =
  'certutil not found: install it (Debian/Ubuntu: apt install libnss3-tools; Fedora: dnf install nss-tools; Arch: pacman -S nss)';

async function nssInstall(
  db: NssDatabase,
  opts: TrustOptions,
  run: NonNullable<TrustOptions['run']>,
  haveCertutil: boolean,
): Promise<StoreResult> {
  const nick = nssNickname(opts.devCa);
  const argv = [
    'certutil',
    '-A',
    '-d',
    `sql:${db.dir}`,
    '-t',
    'C,,',
    '-n',
    nick,
    '-i',
    opts.devCa.files.caCert,
  ];
  if (opts.dryRun) return { store: db.label, ok: true, detail: 'would run', commands: [commandLine(argv)] };
  if (!haveCertutil)
    return { store: db.label, ok: false, detail: CERTUTIL_MISSING, commands: [commandLine(argv)] };
  if (!existsSync(join(db.dir, 'cert9.db'))) {
    return { store: db.label, ok: false, detail: `no NSS database (cert9.db) in ${db.dir}` };
  }
  const r = await run(argv);
  if (r.code !== 0)
    return {
      store: db.label,
      ok: false,
      detail: `certutil failed: ${lastLine(r.stderr || r.stdout) || `exit ${r.code}`}`,
    };
  const check = await run(['certutil', '-L', '-d', `sql:${db.dir}`, '-n', nick]);
  if (check.code !== 0)
    return {
      store: db.label,
      ok: false,
      detail: 'certutil reported success but the certificate is not listed',
    };
  return { store: db.label, ok: true, detail: `added as "${nick}" (trust C,,)` };
}

async function nssRemove(
  db: NssDatabase,
  opts: TrustOptions,
  run: NonNullable<TrustOptions['run']>,
  haveCertutil: boolean,
): Promise<StoreResult> {
  const nick = nssNickname(opts.devCa);
  const argv = ['certutil', '-D', '-d', `sql:${db.dir}`, '-n', nick];
  if (opts.dryRun) return { store: db.label, ok: true, detail: 'would run', commands: [commandLine(argv)] };
  if (!haveCertutil)
    return { store: db.label, ok: false, detail: CERTUTIL_MISSING, commands: [commandLine(argv)] };
  if (!existsSync(join(db.dir, 'cert9.db'))) {
    return { store: db.label, ok: false, detail: `no NSS database (cert9.db) in ${db.dir}` };
  }
  let removed = 0;
  // One -D removes one certificate of that nickname; bounded loop for duplicates.
  for (let i = 0; i < 5; i++) {
    const listed = await run(['certutil', '-L', '-d', `sql:${db.dir}`, '-n', nick]);
    if (listed.code !== 0) break;
    const r = await run(argv);
    if (r.code !== 0)
      return {
        store: db.label,
        ok: false,
        detail: `certutil failed: ${lastLine(r.stderr || r.stdout) || `exit ${r.code}`}`,
      };
    removed++;
  }
  return { store: db.label, ok: true, detail: removed > 0 ? `removed "${nick}"` : 'was not there' };
}

async function systemInstall(
  opts: TrustOptions,
  run: NonNullable<TrustOptions['run']>,
): Promise<StoreResult> {
  const plan = systemTrustPlan(opts.devCa.files.caCert, opts.devCa.commonName, opts.probe);
  const lines = plan.install.map(commandLine);
  if (plan.kind === 'unknown') {
    return {
      store: plan.label,
      ok: false,
      detail:
        'no known system trust store tool found (update-ca-certificates, update-ca-trust, trust): add ca.pem to it by hand',
    };
  }
  if (opts.dryRun) return { store: plan.label, ok: true, detail: 'would run', commands: lines };
  if (!plan.automatic)
    return { store: plan.label, ok: false, detail: 'not changed: run these commands', commands: lines };
  if (!opts.privileged) {
    return {
      store: plan.label,
      ok: false,
      detail: 'needs root: run these commands',
      commands: plan.install.map((a) => commandLine(['sudo', ...a])),
    };
  }
  try {
    copyFileSync(opts.devCa.files.caCert, DEBIAN_CERT_FILE);
  } catch (e) {
    return {
      store: plan.label,
      ok: false,
      detail: `cannot write ${DEBIAN_CERT_FILE}: ${(e as Error).message}`,
    };
  }
  const r = await run(['update-ca-certificates']);
  if (r.code !== 0)
    return {
      store: plan.label,
      ok: false,
      detail: `update-ca-certificates failed: ${lastLine(r.stderr || r.stdout) || r.spawnError || `exit ${r.code}`}`,
    };
  return { store: plan.label, ok: true, detail: `${DEBIAN_CERT_FILE}, update-ca-certificates` };
}

async function systemRemove(opts: TrustOptions, run: NonNullable<TrustOptions['run']>): Promise<StoreResult> {
  const plan = systemTrustPlan(opts.devCa.files.caCert, opts.devCa.commonName, opts.probe);
  const lines = plan.remove.map(commandLine);
  if (plan.kind === 'unknown')
    return { store: plan.label, ok: true, detail: 'no known system trust store tool: nothing to remove' };
  if (opts.dryRun) return { store: plan.label, ok: true, detail: 'would run', commands: lines };
  if (!plan.automatic)
    return { store: plan.label, ok: false, detail: 'not changed: run these commands', commands: lines };
  if (!existsSync(DEBIAN_CERT_FILE))
    return { store: plan.label, ok: true, detail: `${DEBIAN_CERT_FILE} was not there` };
  if (!opts.privileged) {
    return {
      store: plan.label,
      ok: false,
      detail: 'needs root: run these commands',
      commands: plan.remove.map((a) => commandLine(['sudo', ...a])),
    };
  }
  try {
    unlinkSync(DEBIAN_CERT_FILE);
  } catch (e) {
    return {
      store: plan.label,
      ok: false,
      detail: `cannot remove ${DEBIAN_CERT_FILE}: ${(e as Error).message}`,
    };
  }
  const r = await run(['update-ca-certificates', '--fresh']);
  if (r.code !== 0)
    return {
      store: plan.label,
      ok: false,
      detail: `update-ca-certificates failed: ${lastLine(r.stderr || r.stdout) || r.spawnError || `exit ${r.code}`}`,
    };
  const java = await removeFromJavaKeystore(run);
  return {
    store: plan.label,
    ok: true,
    detail: `removed ${DEBIAN_CERT_FILE}, update-ca-certificates --fresh${java}`,
  };
}

/** Debian's Java keystore, filled from /etc/ssl/certs by the ca-certificates-java hook. */
export const JAVA_CACERTS = '/etc/ssl/certs/java/cacerts';
const JAVA_ALIAS = 'debian:cookieguard.pem';

/**
 * The ca-certificates-java hook copies an added certificate into Java's keystore under the alias
 * `debian:<file>.pem`, and keeps it when the file goes away: remove it there too (keystore password
 * `changeit`, the ca-certificates-java default in /etc/default/cacerts).
 */
async function removeFromJavaKeystore(run: NonNullable<TrustOptions['run']>): Promise<string> {
  if (!existsSync(JAVA_CACERTS)) return '';
  const base = ['-keystore', JAVA_CACERTS, '-storepass', 'changeit', '-alias', JAVA_ALIAS];
  const listed = await run(['keytool', '-list', ...base]);
  if (listed.spawnError !== undefined || listed.code !== 0) return '';
  const del = await run(['keytool', '-delete', ...base]);
  return del.code === 0
    ? `, removed from ${JAVA_CACERTS}`
    : `; could not remove it from ${JAVA_CACERTS} (${commandLine(['keytool', '-delete', ...base])})`;
}

/** Install the CA into every store asked for; one failure does not stop the others. */
export async function trustCa(opts: TrustOptions): Promise<StoreResult[]> {
  const run = opts.run ?? runCommand;
  const out: StoreResult[] = [];
  if (!opts.noSystem) out.push(await systemInstall(opts, run));
  if (!opts.noNss) {
    const dbs = nssTargets(opts);
    const have = opts.dryRun || dbs.length === 0 ? true : await certutilAvailable(run);
    for (const db of dbs) out.push(await nssInstall(db, opts, run, have));
    if (dbs.length === 0) {
      out.push({
        store: 'browser NSS databases',
        ok: true,
        detail: `none found under ${opts.home} (start Chrome/Chromium or Firefox once, then run trust again)`,
      });
    }
  }
  return out;
}

/** Remove the CA from every store asked for; one failure does not stop the others. */
export async function untrustCa(opts: TrustOptions): Promise<StoreResult[]> {
  const run = opts.run ?? runCommand;
  const out: StoreResult[] = [];
  if (!opts.noSystem) out.push(await systemRemove(opts, run));
  if (!opts.noNss) {
    const dbs = nssTargets(opts);
    const have = opts.dryRun || dbs.length === 0 ? true : await certutilAvailable(run);
    for (const db of dbs) out.push(await nssRemove(db, opts, run, have));
  }
  return out;
}

/** The line that makes Node.js trust the CA (Node reads this file at start-up, in addition to its roots). */
export function nodeExtraCaLine(caFile: string): string {
  return `export NODE_EXTRA_CA_CERTS=${quote(caFile)}`;
}
