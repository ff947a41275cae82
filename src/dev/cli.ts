/**
 * `cookieguard dev`: local HTTPS in front of an app in development, with a live cookie log.
 *
 *   cookieguard dev --target http://localhost:3000 [--port 8443] [--http-port 8080] [--host NAME]...
 *                   [--lan] [--bind ADDR]... [--ca-dir DIR] [--no-color] [--quiet]
 *   cookieguard dev ca [--ca-dir DIR]                 print the CA certificate's path (creating it)
 *   cookieguard dev trust [--nss-db DIR]... [--no-system] [--no-nss] [--dry-run] [--ca-dir DIR]
 *   cookieguard dev untrust [same flags]
 *
 * Exit codes: 0 done (the proxy: stopped with Ctrl-C / SIGTERM), 2 could not do the job (bad flag,
 * port in use, app unreachable at start, CA directory unwritable, a trust store that failed), with one
 * line `cookieguard: ...` on stderr and no stack trace.
 */
import { existsSync } from 'node:fs';
import net from 'node:net';
import { homedir } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { UserError, oneLine } from '../model/errors.js';
import { displaySafe } from '../cookies/observe.js';
import { defaultCaDir, ensureDevCa, ensureLeaf } from './ca-store.js';
import type { DevCa, DevLeaf } from './ca-store.js';
import { CookieLog } from './cookie-log.js';
import {
  certificateNames,
  checkHostName,
  DEFAULT_BIND,
  ipWithinConstraints,
  isLoopbackAddress,
  lanAddresses,
  normalizeAddress,
  stripBrackets,
  urlHost,
} from './names.js';
import { loopbackOnly, startDevProxy } from './proxy.js';
import type { DevProxy, ProxyEvent } from './proxy.js';
import { nodeExtraCaLine, trustCa, untrustCa } from './trust.js';
import type { StoreResult } from './trust.js';

const DEFAULT_PORT = 8443;
/** How often a running proxy checks whether its certificate needs renewing. */
const RENEW_CHECK_MS = 6 * 60 * 60 * 1000;
/** How long the start-up check waits for the app to accept a connection. */
const REACH_TIMEOUT_MS = 5_000;

function say(line: string): void {
  process.stderr.write(`cookieguard: ${oneLine(line)}\n`);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parsePort(value: string, flag: string): number {
  if (!/^\d{1,5}$/.test(value.trim()) || Number(value) > 65535) {
    throw new UserError(`${flag} must be a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * `--target`: the app's plain-HTTP origin. `3000` and `localhost:3000` are accepted as
 * `http://localhost:3000`.
 */
export function parseTarget(input: string | undefined): URL {
  if (input === undefined || input.trim() === '') {
    throw new UserError(
      'dev: --target URL is required: the address of your app, e.g. --target http://localhost:3000',
    );
  }
  const text = input.trim();
  const withScheme = /^\d{1,5}$/.test(text)
    ? `http://localhost:${text}`
    : /^[a-z][a-z0-9+.-]*:\/\//i.test(text)
      ? text
      : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UserError(`--target ${JSON.stringify(input)} is not a URL (e.g. http://localhost:3000)`);
  }
  if (url.protocol === 'https:') {
    throw new UserError(
      `--target must be the app's plain-HTTP address (http://...), got ${url.origin}: cookieguard dev adds the HTTPS in front of it`,
    );
  }
  if (url.protocol !== 'http:')
    throw new UserError(`--target must be an http:// URL, got ${JSON.stringify(input)}`);
  if (url.username || url.password) throw new UserError('--target must not contain a user name or password');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new UserError(
      `--target must be an origin without a path (e.g. http://localhost:3000), got ${JSON.stringify(input)}: paths and queries are passed through unchanged`,
    );
  }
  return new URL(url.origin);
}

/** Connects once to the app; the error is one line for the user. */
export async function checkReachable(target: URL, timeoutMs = REACH_TIMEOUT_MS): Promise<void> {
  const host = stripBrackets(target.hostname);
  const port = Number(target.port || 80);
  await new Promise<void>((resolve, reject) => {
    const s = net.connect({ host, port, autoSelectFamily: true });
    const t = setTimeout(() => {
      s.destroy();
      reject(
        new UserError(
          `cannot reach the app at ${target.origin}: no answer within ${timeoutMs / 1000} s (check --target)`,
        ),
      );
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(t);
      s.destroy();
      resolve();
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(t);
      const why =
        e.code === 'ECONNREFUSED'
          ? 'connection refused (start the app first, or check --target)'
          : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
            ? `the host name ${host} cannot be resolved`
            : (e.code ?? e.message);
      reject(new UserError(`cannot reach the app at ${target.origin}: ${why}`));
    });
  });
}

interface ProxyFlags {
  target?: string;
  port: string;
  httpPort?: string;
  host?: string[];
  lan?: boolean;
  bind?: string[];
  caDir?: string;
  color: boolean;
  quiet?: boolean;
}

interface TrustFlags {
  caDir?: string;
  nssDb?: string[];
  system: boolean;
  nss: boolean;
  dryRun?: boolean;
  quiet?: boolean;
}

function useColor(flag: boolean): boolean {
  return flag && process.stdout.isTTY === true && (process.env.NO_COLOR ?? '') === '';
}

function caDirOf(flags: { caDir?: string }): string {
  if (flags.caDir !== undefined && flags.caDir.trim() === '')
    throw new UserError('--ca-dir needs a directory');
  return flags.caDir ?? defaultCaDir();
}

function printNotes(devCa: DevCa, quiet: boolean | undefined): void {
  if (quiet) return;
  for (const n of devCa.notes) say(`dev: ${n}`);
}

/** The addresses to listen on and extra certificate names, from --bind and --lan. */
function planBinding(flags: ProxyFlags): {
  bind: string[];
  optional: string[];
  extraNames: string[];
  warnings: string[];
} {
  const warnings: string[] = [];
  const extraNames: string[] = [];
  let bind: string[];
  let optional: string[] = [];
  if (flags.bind && flags.bind.length > 0) {
    bind = [];
    for (const b of flags.bind) {
      const a = normalizeAddress(b.trim());
      if (net.isIP(a) === 0)
        throw new UserError(
          `--bind ${JSON.stringify(b)} is not an IP address (e.g. 127.0.0.1, ::1, 0.0.0.0)`,
        );
      if (!bind.includes(a)) bind.push(a);
    }
  } else {
    bind = [...DEFAULT_BIND];
    optional = ['::1'];
  }
  if (flags.lan) {
    const lan = lanAddresses();
    for (const s of lan.skipped) {
      warnings.push(`--lan: ${s} is not a private address, so the local CA may not certify it: left out`);
    }
    if (lan.usable.length === 0) {
      warnings.push(
        '--lan: no LAN address in a private range (10/8, 172.16/12, 192.168/16, fc00::/7) found on this machine',
      );
    }
    for (const a of lan.usable) {
      extraNames.push(a);
      if (!bind.includes(a) && !bind.includes('0.0.0.0') && !bind.includes('::')) bind.push(a);
    }
  }
  for (const a of bind) {
    if (a === '0.0.0.0' || a === '::') {
      warnings.push(
        `listening on ${a}: the proxy (and through it your app) is reachable from other machines on the network`,
      );
      continue;
    }
    if (!isLoopbackAddress(a)) {
      if (ipWithinConstraints(a)) extraNames.push(a);
      else
        warnings.push(
          `${a} is not a private address: the local CA may not certify it, browsers will refuse https://${urlHost(a)}`,
        );
    }
  }
  return { bind, optional, extraNames, warnings };
}

async function runProxy(flags: ProxyFlags): Promise<number> {
  const target = parseTarget(flags.target);
  const port = parsePort(flags.port, '--port');
  const httpPort = flags.httpPort !== undefined ? parsePort(flags.httpPort, '--http-port') : undefined;
  if (httpPort !== undefined && httpPort !== 0 && httpPort === port) {
    throw new UserError('--http-port must differ from --port');
  }
  const hosts = (flags.host ?? []).map((h) => {
    try {
      return checkHostName(h);
    } catch (e) {
      throw new UserError((e as Error).message);
    }
  });
  const binding = planBinding(flags);
  const names = certificateNames([...hosts, ...binding.extraNames]);

  const devCa = await ensureDevCa(caDirOf(flags));
  printNotes(devCa, flags.quiet);
  let leaf: DevLeaf = await ensureLeaf(devCa, names);
  if (leaf.saveError && !flags.quiet) say(`dev: ${leaf.saveError}`);

  await checkReachable(target);

  const color = useColor(flags.color);
  const log = new CookieLog({ write: (s) => process.stdout.write(s), color, quiet: flags.quiet === true });
  let downSince: number | null = null;
  const onEvent = (e: ProxyEvent) => {
    switch (e.kind) {
      case 'upstream-error':
        if (downSince === null) {
          downSince = Date.now();
          say(
            `dev: the app at ${target.origin} ${e.text} (${e.method} ${displaySafe(e.path.split('?')[0]!, 80)}): answering 502 until it is back`,
          );
        }
        break;
      case 'upstream-back':
        if (downSince !== null) say(`dev: the app at ${target.origin} is answering again`);
        downSince = null;
        break;
      case 'refused':
        say(
          `dev: refused ${displaySafe(e.method, 20)} ${displaySafe(e.target, 120)}: ${e.reason} (this proxy forwards only to ${target.origin})`,
        );
        break;
      case 'internal-error':
        say(`dev: ${e.message}`);
        break;
    }
  };

  const proxy: DevProxy = await startDevProxy({
    target,
    port,
    ...(httpPort !== undefined ? { httpPort } : {}),
    bind: binding.bind,
    optionalBind: binding.optional,
    cert: leaf,
    names,
    onResponse: (r) => log.record(r),
    onEvent,
  });

  const primary = loopbackOnly(proxy.addresses)
    ? 'localhost'
    : urlHost(proxy.addresses.find((a) => !isLoopbackAddress(a)) ?? 'localhost');
  const portText = proxy.port === 443 ? '' : `:${proxy.port}`;
  // One write, so that the banner is not interleaved with the first log lines.
  const banner = [
    `cookieguard: dev: https://${primary}${portText} → ${target.origin} (listening on ${proxy.addresses.map((a) => `${urlHost(a)}:${proxy.port}`).join(', ')})`,
  ];
  if (!flags.quiet) {
    const others = names.filter((n) => !n.startsWith('*.') && n !== primary);
    banner.push(`  also: ${others.map((n) => `https://${urlHost(n)}${portText}`).join(', ')}`);
    if (proxy.httpPort !== undefined)
      banner.push(`  plain http://localhost:${proxy.httpPort} redirects to HTTPS`);
    banner.push(
      `  certificate: ${names.join(', ')}; valid until ${leaf.notAfter.toISOString().slice(0, 10)}, renewed automatically` +
        (leaf.issued ? ` (new: ${leaf.reason})` : ''),
    );
    const hostsNote = names.some((n) => n.endsWith('.localhost') && !n.startsWith('*.'))
      ? ''
      : '; Chromium does not accept *.localhost: name each subdomain with --host app.localhost';
    banner.push(
      `  CA: ${devCa.files.caCert}${devCa.created ? ' (new: run `cookieguard dev trust` once so that browsers accept it)' : ''}${hostsNote}`,
    );
    banner.push(`  Node.js clients: ${nodeExtraCaLine(devCa.files.caCert)}`);
    for (const w of binding.warnings) banner.push(`cookieguard: dev: ${w}`);
    banner.push('  Set-Cookie log on stdout; Ctrl-C stops.');
  }
  // Ctrl-C / SIGTERM stop the proxy cleanly from the moment the banner is out: the handlers come
  // first (a signal sent right after the listening line would otherwise kill the process).
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
  process.stderr.write(banner.join('\n') + '\n');

  const renew = setInterval(() => {
    ensureLeaf(devCa, names)
      .then((next) => {
        if (!next.issued) return;
        leaf = next;
        proxy.setCertificate(next);
        if (!flags.quiet)
          say(
            `dev: certificate renewed (${next.reason}); valid until ${next.notAfter.toISOString().slice(0, 10)}`,
          );
      })
      .catch((e: unknown) => say(`dev: could not renew the certificate: ${(e as Error).message}`));
  }, RENEW_CHECK_MS);
  renew.unref();

  const signal = await stopped;
  clearInterval(renew);
  await proxy.close();
  if (!flags.quiet) say(`dev: stopped (${signal})`);
  return 0;
}

function printResults(title: string, devCa: DevCa, results: StoreResult[], dryRun: boolean): void {
  const out: string[] = [`${title}: ${devCa.files.caCert}`, `  SHA-256 ${devCa.fingerprint}`];
  for (const r of results) {
    const mark = dryRun ? '-' : r.ok ? '✓' : '✗';
    out.push(`  ${mark} ${r.store}: ${r.detail}`);
    for (const c of r.commands ?? []) out.push(`      ${c}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

async function runTrust(flags: TrustFlags, remove: boolean): Promise<number> {
  const devCa = await ensureDevCa(caDirOf(flags), { create: !remove });
  printNotes(devCa, flags.quiet);
  const nssDbs = flags.nssDb ?? [];
  for (const d of nssDbs) if (d.trim() === '') throw new UserError('--nss-db needs a directory');
  const opts = {
    devCa,
    nssDbs,
    noSystem: !flags.system,
    noNss: !flags.nss,
    dryRun: flags.dryRun === true,
    home: homedir(),
    probe: { platform: process.platform, exists: existsSync },
    privileged: typeof process.getuid === 'function' && process.getuid() === 0,
  };
  const results = remove ? await untrustCa(opts) : await trustCa(opts);
  const verb = remove ? 'untrust' : 'trust';
  printResults(
    `cookieguard dev ${verb}${opts.dryRun ? ' (dry run: nothing changed)' : ''}`,
    devCa,
    results,
    opts.dryRun,
  );
  if (!remove) {
    process.stdout.write(
      `Node.js does not read the system store; for Node clients (fetch, axios, tests):\n  ${nodeExtraCaLine(devCa.files.caCert)}\n`,
    );
    if (!opts.dryRun && results.some((r) => r.ok))
      process.stdout.write('Restart open browsers so that they read the new CA.\n');
  } else if (!opts.dryRun) {
    process.stdout.write(
      `The CA files stay in ${devCa.files.dir} (delete ca.pem and ca-key.pem to make a new CA next time).\n`,
    );
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    say(
      `dev ${verb}: ${failed.length} of ${results.length} stores not changed: ${failed.map((r) => r.store).join('; ')}`,
    );
    return 2;
  }
  return 0;
}

async function runCa(flags: { caDir?: string; quiet?: boolean }): Promise<number> {
  const devCa = await ensureDevCa(caDirOf(flags));
  printNotes(devCa, flags.quiet);
  if (devCa.created && !flags.quiet)
    say(`dev: created a new local CA in ${devCa.files.dir}; trust it with \`cookieguard dev trust\``);
  process.stdout.write(devCa.files.caCert + '\n');
  return 0;
}

function trustCommand(name: 'trust' | 'untrust', run: (flags: TrustFlags) => Promise<void>): Command {
  const verb = name === 'trust' ? 'install' : 'remove';
  return new Command(name)
    .description(
      name === 'trust'
        ? 'install the CA into the system store and the NSS databases of Chrome/Chromium and Firefox found, and print the NODE_EXTRA_CA_CERTS line'
        : 'remove the CA from the system store and the NSS databases it was installed into',
    )
    .option(
      '--nss-db <dir>',
      `${verb} only in this NSS database (repeatable; no others are looked for)`,
      collect,
    )
    .option('--no-system', `do not ${verb} in the system store`)
    .option('--no-nss', `do not ${verb} in NSS databases`)
    .option('--dry-run', 'print what would be done, change nothing')
    .option(
      '--ca-dir <dir>',
      'where the CA lives (default: $XDG_DATA_HOME/cookieguard or ~/.local/share/cookieguard)',
    )
    .option('--quiet', 'no notes on stderr')
    .helpOption('-h, --help', 'show help')
    .action(async function (this: Command) {
      await run(this.optsWithGlobals<TrustFlags>());
    });
}

export async function runDev(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command('cookieguard dev')
    .description(
      'local HTTPS in front of your app, with a live log of the cookies it sets, judged like `check`',
    )
    .option('--target <url>', "your app's plain-HTTP address, e.g. http://localhost:3000")
    .addOption(new Option('--port <n>', 'HTTPS port (0: any free port)').default(String(DEFAULT_PORT)))
    .option('--http-port <n>', 'also listen for plain HTTP on this port and redirect it to HTTPS')
    .option(
      '--host <name>',
      'another name for the certificate, e.g. myapp.localhost or myapp.test (repeatable)',
      collect,
    )
    .option('--lan', "add this machine's LAN address to the certificate and listen on it")
    .option('--bind <addr>', 'listen on this address instead of loopback (repeatable)', collect)
    .option(
      '--ca-dir <dir>',
      'where the CA lives (default: $XDG_DATA_HOME/cookieguard or ~/.local/share/cookieguard)',
    )
    .option('--no-color', 'no colours in the cookie log (NO_COLOR is honoured too)')
    .option('--quiet', 'only findings: no start-up notes, no lines for cookies without findings')
    .helpOption('-h, --help', 'show help')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      outputError: () => undefined,
    })
    .action(async (flags: ProxyFlags) => {
      code = await runProxy(flags);
    });
  const sub = (cmd: Command) =>
    program.addCommand(cmd.exitOverride().configureOutput({ outputError: () => undefined }));
  sub(
    new Command('ca')
      .description('print the path of the CA certificate (PEM), creating the CA if there is none')
      .option(
        '--ca-dir <dir>',
        'where the CA lives (default: $XDG_DATA_HOME/cookieguard or ~/.local/share/cookieguard)',
      )
      .option('--quiet', 'no notes on stderr')
      .helpOption('-h, --help', 'show help')
      .action(async function (this: Command) {
        code = await runCa(this.optsWithGlobals<{ caDir?: string; quiet?: boolean }>());
      }),
  );
  sub(
    trustCommand('trust', async (f) => {
      code = await runTrust(f, false);
    }),
  );
  sub(
    trustCommand('untrust', async (f) => {
      code = await runTrust(f, true);
    }),
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.excessArguments' || e.code === 'commander.unknownCommand') {
        say(
          `dev: unknown subcommand or argument ${JSON.stringify(program.args[0] ?? argv.find((a) => !a.startsWith('-')) ?? '')} (expected: ca, trust, untrust, or flags such as --target)`,
        );
        return 2;
      }
      say(`dev: ${e.message.replace(/^error: /, '')}`);
      return 2;
    }
    if (e instanceof UserError) {
      say(e.message);
      return 2;
    }
    say(`dev: internal error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.COOKIEGUARD_DEBUG === '1' && e instanceof Error && e.stack)
      process.stderr.write(`${e.stack}\n`);
    return 2;
  }
}
