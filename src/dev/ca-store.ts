/**
 * The development CA on disk, and the leaf certificate the proxy serves.
 *
 * Layout of the CA directory (`$XDG_DATA_HOME/cookieguard`, `~/.local/share/cookieguard`, or
 * `--ca-dir`): `ca.pem` (the CA certificate, the file to trust), `ca-key.pem` (its private key, mode
 * 0600), `localhost.pem` / `localhost-key.pem` (the current leaf). A directory this module creates
 * gets mode 0700.
 *
 * The CA is name-constrained to local names and loopback / private addresses (LOCAL_NAME_CONSTRAINTS),
 * so a leaked key cannot mint certificates for real sites. The leaf lives 30 days: well under the
 * 398 days browsers accept for publicly trusted leaves and the 825 days Apple accepts for any leaf
 * (support.apple.com/en-us/103769); it is issued again when fewer than 10 days remain, when the names
 * asked for differ from the ones it carries, or when it was not issued by the current CA.
 *
 * Two processes creating the CA at once: the key is published with link(2), which fails when the
 * file exists, so exactly one key wins; the loser waits (bounded) for the winner's certificate.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, hostname, userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isIP } from 'node:net';
import { describeFsError, UserError } from '../model/errors.js';
import { createCa, loadCa, LOCAL_NAME_CONSTRAINTS } from '../tls/ca.js';
import type { CertificateAuthority } from '../tls/ca.js';
import { canonicalIp, stripBrackets } from './names.js';

export const LEAF_DAYS = 30;
export const LEAF_RENEW_BEFORE_DAYS = 10;
export const CA_DAYS = 3650;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface DevCaFiles {
  dir: string;
  caCert: string;
  caKey: string;
  leafCert: string;
  leafKey: string;
}

/** `$XDG_DATA_HOME/cookieguard` when XDG_DATA_HOME is an absolute path, else `~/.local/share/cookieguard`. */
export function defaultCaDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_DATA_HOME;
  // XDG Base Directory Specification: a relative path in XDG_DATA_HOME is invalid and ignored.
  if (xdg && isAbsolute(xdg)) return join(xdg, 'cookieguard');
  return join(home, '.local', 'share', 'cookieguard');
}

export function caFiles(dir: string): DevCaFiles {
  const d = resolve(dir);
  return {
    dir: d,
    caCert: join(d, 'ca.pem'),
    caKey: join(d, 'ca-key.pem'),
    leafCert: join(d, 'localhost.pem'),
    leafKey: join(d, 'localhost-key.pem'),
  };
}

export interface DevCa {
  files: DevCaFiles;
  ca: CertificateAuthority;
  certPem: string;
  /** SHA-256 fingerprint of the CA certificate, colon-separated hex (as browsers show it). */
  fingerprint: string;
  /** Subject common name of the CA certificate. */
  commonName: string;
  notAfter: Date;
  /** True when this call created the CA. */
  created: boolean;
  /** Things the user should know (a key file whose mode was tightened ...). */
  notes: string[];
}

function caCommonName(): string {
  let who = 'user';
  try {
    who = userInfo().username;
  } catch {
    /* no passwd entry (containers): keep 'user' */
  }
  // The name goes into an X.500 distinguished name string: keep it to characters with no meaning there.
  const safe = `${who}@${hostname()}`.replace(/[^A-Za-z0-9@._-]/g, '-').slice(0, 40);
  return `cookieguard local CA ${safe}`;
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** Short hex id of a certificate (first 8 hex digits of its SHA-256 fingerprint), for store nicknames. */
export function shortId(certPem: string): string {
  return fingerprintOf(certPem).replace(/:/g, '').slice(0, 8).toLowerCase();
}

function keyMatchesCert(keyPem: string, certPem: string): boolean {
  const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
  const fromCert = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return Buffer.compare(fromKey, fromCert) === 0;
}

function makeDir(dir: string): boolean {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      throw new UserError(`the CA directory ${dir} is a file, not a directory`);
    return false;
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    return true;
  } catch (e) {
    throw new UserError(
      `cannot create the CA directory ${dir}: ${describeFsError(e)} (choose another with --ca-dir)`,
    );
  }
}

function tmpName(path: string): string {
  return `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Write a file through a temporary name and rename (readers never see a partial file). */
function writeAtomic(path: string, data: string, mode: number): void {
  const tmp = tmpName(path);
  try {
    writeFileSync(tmp, data, { mode, flag: 'wx' });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* not created */
    }
    throw e;
  }
}

/** Publish `data` at `path` only if nothing is there yet. False when another process was first. */
function publishExclusive(path: string, data: string, mode: number): boolean {
  const tmp = tmpName(path);
  writeFileSync(tmp, data, { mode, flag: 'wx' });
  try {
    chmodSync(tmp, mode);
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${path}: ${describeFsError(e)}`);
  }
}

async function loadFrom(files: DevCaFiles, created: boolean, notes: string[]): Promise<DevCa> {
  const certPem = readText(files.caCert);
  const keyPem = readText(files.caKey);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    throw new UserError(
      `${files.caCert} is not a PEM certificate: remove ca.pem and ca-key.pem to make a new CA`,
    );
  }
  let matches: boolean;
  try {
    matches = keyMatchesCert(keyPem, certPem);
  } catch {
    throw new UserError(
      `${files.caKey} is not a PEM private key: remove ca.pem and ca-key.pem to make a new CA`,
    );
  }
  if (!matches) {
    throw new UserError(
      `${files.caCert} does not belong to ${files.caKey}: remove both (and run \`cookieguard dev untrust\` first) to make a new CA`,
    );
  }
  if (!cert.ca) throw new UserError(`${files.caCert} is not a CA certificate`);
  const notAfter = new Date(cert.validTo);
  if (notAfter.getTime() <= Date.now()) {
    throw new UserError(
      `the local CA in ${files.dir} expired on ${notAfter.toISOString().slice(0, 10)}: run \`cookieguard dev untrust\`, ` +
        'remove ca.pem and ca-key.pem, then `cookieguard dev trust` to make and trust a new one',
    );
  }
  let ca: CertificateAuthority;
  try {
    ca = await loadCa(certPem, keyPem);
  } catch (e) {
    throw new UserError(`cannot load the CA in ${files.dir}: ${(e as Error).message}`);
  }
  const cn = /CN=([^,\n]+)/.exec(cert.subject)?.[1] ?? 'cookieguard local CA';
  return {
    files,
    ca,
    certPem,
    fingerprint: cert.fingerprint256,
    commonName: cn.trim(),
    notAfter,
    created,
    notes,
  };
}

/** Tighten the CA key to 0600 when its mode lets others read it (a copy, a restore from backup ...). */
function protectKey(files: DevCaFiles, notes: string[]): void {
  try {
    const mode = statSync(files.caKey).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      chmodSync(files.caKey, 0o600);
      notes.push(
        `${files.caKey} was readable by others (mode ${mode.toString(8).padStart(4, '0')}); it is now 0600`,
      );
    }
  } catch (e) {
    notes.push(`could not check the mode of ${files.caKey}: ${describeFsError(e)}`);
  }
}

export interface EnsureCaOptions {
  /** Create the CA when the directory has none (default true). */
  create?: boolean;
  /** How long to wait for another process that is creating the CA (default 10 s). */
  waitMs?: number;
}

/**
 * Load the CA from `dir`, creating the directory (mode 0700) and the CA (key mode 0600) when missing.
 * Errors a user can fix (an unwritable directory, a damaged or expired CA) are UserErrors.
 */
export async function ensureDevCa(dir: string, opts: EnsureCaOptions = {}): Promise<DevCa> {
  const files = caFiles(dir);
  const notes: string[] = [];
  const hasCert = existsSync(files.caCert);
  const hasKey = existsSync(files.caKey);
  if (hasKey) protectKey(files, notes);
  if (hasCert && hasKey) return loadFrom(files, false, notes);
  if (opts.create === false) {
    throw new UserError(`there is no CA in ${files.dir} yet (run \`cookieguard dev ca\` to create it)`);
  }
  if (hasCert && !hasKey) {
    throw new UserError(
      `${files.caCert} exists without its key ${files.caKey}: remove ca.pem (and run \`cookieguard dev untrust\`) to make a new CA`,
    );
  }
  if (!hasKey) makeDir(files.dir);
  if (!hasKey) {
    const ca = await createCa({
      commonName: caCommonName(),
      days: CA_DAYS,
      nameConstraints: LOCAL_NAME_CONSTRAINTS,
    });
    let won: boolean;
    try {
      won = publishExclusive(files.caKey, ca.keyPem, 0o600);
    } catch (e) {
      throw new UserError(
        `cannot write the CA key in ${files.dir}: ${describeFsError(e)} (choose another directory with --ca-dir)`,
      );
    }
    if (won) {
      try {
        writeAtomic(files.caCert, ca.certPem, 0o644);
      } catch (e) {
        throw new UserError(`cannot write ${files.caCert}: ${describeFsError(e)}`);
      }
      return loadFrom(files, true, notes);
    }
  }
  // Another process holds the key and is writing the certificate: wait for it, bounded.
  const deadline = Date.now() + (opts.waitMs ?? 10_000);
  while (!existsSync(files.caCert)) {
    if (Date.now() > deadline) {
      throw new UserError(
        `${files.caKey} exists but ${files.caCert} does not: remove ca-key.pem (and run \`cookieguard dev untrust\`) to make a new CA`,
      );
    }
    await sleep(50);
  }
  return loadFrom(files, false, notes);
}

/** The names (DNS names and IP addresses) a certificate carries in its subjectAltName. */
export function certificateSanNames(certPem: string): string[] {
  const san = new X509Certificate(certPem).subjectAltName ?? '';
  const out: string[] = [];
  for (const part of san.split(/,\s*/)) {
    const m = /^(DNS|IP Address):(.*)$/.exec(part.trim());
    if (m) out.push(m[1] === 'DNS' ? m[2]!.toLowerCase() : canonicalIp(m[2]!));
  }
  return out;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const norm = (l: readonly string[]) =>
    [...new Set(l.map((n) => (isIP(stripBrackets(n)) ? canonicalIp(n) : n.toLowerCase())))].sort();
  const x = norm(a);
  const y = norm(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * Why a leaf must be issued again (or null when it can be used): unreadable, not issued by this CA,
 * not yet valid, expiring within `renewBeforeDays`, or carrying other names than `names`.
 */
export function leafRenewalReason(
  leafPem: string | null,
  caPem: string,
  names: readonly string[],
  now: Date = new Date(),
  renewBeforeDays: number = LEAF_RENEW_BEFORE_DAYS,
): string | null {
  if (leafPem === null) return 'no certificate yet';
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(leafPem);
  } catch {
    return 'the saved certificate cannot be read';
  }
  const ca = new X509Certificate(caPem);
  if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return 'the saved certificate is from another CA';
  if (new Date(leaf.validFrom).getTime() > now.getTime()) return 'the saved certificate is not valid yet';
  const left = new Date(leaf.validTo).getTime() - now.getTime();
  if (left <= 0) return 'the saved certificate expired';
  if (left < renewBeforeDays * DAY_MS)
    return `the saved certificate expires in ${Math.ceil(left / DAY_MS)} days`;
  let carried: string[];
  try {
    carried = certificateSanNames(leafPem);
  } catch {
    return 'the saved certificate has no readable names';
  }
  if (!sameNames(carried, names)) return 'the names changed';
  return null;
}

export interface DevLeaf {
  certPem: string;
  keyPem: string;
  notAfter: Date;
  names: string[];
  /** True when a new certificate was issued by this call. */
  issued: boolean;
  /** Why it was issued. */
  reason?: string;
  /** Set when the new certificate could not be saved (it is used for this run only). */
  saveError?: string;
}

export interface EnsureLeafOptions {
  now?: Date;
  days?: number;
  renewBeforeDays?: number;
}

/** The leaf certificate for `names`: the saved one when still good, else a new one (saved, key 0600). */
export async function ensureLeaf(
  devCa: DevCa,
  names: readonly string[],
  opts: EnsureLeafOptions = {},
): Promise<DevLeaf> {
  const { files } = devCa;
  let leafPem: string | null;
  let keyPem: string | null = null;
  try {
    leafPem = readFileSync(files.leafCert, 'utf8');
    keyPem = readFileSync(files.leafKey, 'utf8');
  } catch {
    leafPem = null;
  }
  let reason = leafRenewalReason(leafPem, devCa.certPem, names, opts.now, opts.renewBeforeDays);
  if (reason === null && leafPem !== null && keyPem !== null) {
    let ok: boolean;
    try {
      ok = keyMatchesCert(keyPem, leafPem);
    } catch {
      ok = false;
    }
    if (ok) {
      return {
        certPem: leafPem,
        keyPem,
        notAfter: new Date(new X509Certificate(leafPem).validTo),
        names: [...names],
        issued: false,
      };
    }
    reason = 'the saved key does not match the certificate';
  }
  const issued = await devCa.ca.issue([...names], { days: opts.days ?? LEAF_DAYS, commonName: names[0] });
  const out: DevLeaf = {
    certPem: issued.certPem,
    keyPem: issued.keyPem,
    notAfter: issued.notAfter,
    names: [...names],
    issued: true,
    reason: reason ?? 'no certificate yet',
  };
  try {
    // Key first: a reader that sees the new certificate also finds its key (a mismatch is re-issued anyway).
    writeAtomic(files.leafKey, issued.keyPem, 0o600);
    writeAtomic(files.leafCert, issued.certPem, 0o644);
  } catch (e) {
    out.saveError = `could not save the certificate in ${files.dir} (${describeFsError(e)}): it is used for this run only`;
  }
  return out;
}
