/**
 * `cookieguard demo`: starts the bundled example site (demo/site, an Express app with real
 * express-session) on loopback over HTTPS (certificate from a CA made on the fly) and plain HTTP,
 * then runs `check URL... --http ORIGIN --ca CA --source demo/site`, which scans the site's code,
 * checks its URLs and links the findings; prints the report and stops everything.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { createCa } from '../tls/ca.js';

/** demo/site in the package (dist/src/demo -> ../../../demo/site). */
export const DEMO_SITE = fileURLToPath(new URL('../../../demo/site/', import.meta.url));

/** Paths of the demo site that `check` requests (the plain-HTTP twin gets the same paths). */
export const DEMO_PATHS = ['/', '/login'];

export interface DemoSite {
  httpsOrigin: string;
  httpOrigin: string;
  caFile: string;
  close(): Promise<void>;
}

async function listen(server: http.Server | https.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Start the demo site on ephemeral loopback ports: HTTPS with a fresh CA, and the same app over HTTP. */
export async function startDemoSite(): Promise<DemoSite> {
  const appModule = join(DEMO_SITE, 'app.js');
  if (!existsSync(appModule)) throw new Error(`the demo site is missing (${appModule})`);
  const { createApp } = (await import(pathToFileURL(appModule).href)) as {
    createApp(): http.RequestListener;
  };
  const dir = mkdtempSync(join(tmpdir(), 'cookieguard-demo-'));
  const ca = await createCa({ commonName: 'cookieguard demo CA', days: 1 });
  const leaf = await ca.issue(['localhost', '127.0.0.1'], { days: 1 });
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.certPem);

  const app = createApp();
  const secure = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, app);
  const plain = http.createServer(app);
  const [httpsPort, httpPort] = [await listen(secure), await listen(plain)];
  return {
    httpsOrigin: `https://127.0.0.1:${httpsPort}`,
    httpOrigin: `http://127.0.0.1:${httpPort}`,
    caFile,
    async close() {
      secure.closeAllConnections();
      plain.closeAllConnections();
      await Promise.all([new Promise((r) => secure.close(r)), new Promise((r) => plain.close(r))]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function say(line: string): void {
  process.stderr.write(`cookieguard: ${line}\n`);
}

export async function runDemo(argv: string[]): Promise<number> {
  const program = new Command('cookieguard demo')
    .description(
      'start the bundled example site on loopback (HTTPS and HTTP), audit its code and its URLs, print the linked report, stop',
    )
    .option('--format <format>', 'text, json, sarif, junit, html or markdown', 'text')
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding reaches this severity (the demo defaults to none)',
      'none',
    )
    .option('--baseline <file>', 'a JSON report of an earlier run: findings already in it are left out')
    .option('--explain', 'text report: the full explanation of every finding (alias --verbose)')
    .option('--verbose', 'same as --explain')
    .option('--show-values', 'do not redact cookie values')
    .option('--no-color', 'no colour in the text report')
    .option('--quiet', 'no progress or notes on stderr')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({ outputError: () => undefined });
  let opts: {
    format: string;
    output?: string;
    failOn: string;
    showValues?: boolean;
    color: boolean;
    quiet?: boolean;
    baseline?: string;
    explain?: boolean;
    verbose?: boolean;
  };
  try {
    program.parse(argv, { from: 'user' });
    opts = program.opts();
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help
      say(e.message.replace(/^error: /, ''));
      return 2;
    }
    throw e;
  }

  // Checked here too so that a bad flag fails before the site starts.
  if (!['text', 'json', 'sarif', 'junit', 'html', 'markdown'].includes(opts.format)) {
    say(
      `--format must be one of text, json, sarif, junit, html, markdown, got ${JSON.stringify(opts.format)}`,
    );
    return 2;
  }
  if (!['high', 'medium', 'low', 'info', 'none'].includes(opts.failOn)) {
    say(`--fail-on must be one of high, medium, low, info, none, got ${JSON.stringify(opts.failOn)}`);
    return 2;
  }

  let site: DemoSite;
  try {
    site = await startDemoSite();
  } catch (e) {
    say(`demo: could not start the example site: ${(e as Error).message}`);
    return 2;
  }
  try {
    if (!opts.quiet) {
      say(
        `demo site on ${site.httpsOrigin} (HTTPS) and ${site.httpOrigin} (plain HTTP); auditing ${DEMO_SITE}`,
      );
    }
    const args = [
      'check',
      ...DEMO_PATHS.map((p) => site.httpsOrigin + p),
      '--http',
      site.httpOrigin,
      '--ca',
      site.caFile,
      '--source',
      DEMO_SITE,
      '--format',
      opts.format,
      '--fail-on',
      opts.failOn,
    ];
    if (opts.output) args.push('--output', opts.output);
    if (opts.baseline) args.push('--baseline', opts.baseline);
    if (opts.showValues) args.push('--show-values');
    if (opts.explain || opts.verbose) args.push('--explain');
    if (!opts.color) args.push('--no-color');
    if (opts.quiet) args.push('--quiet');
    const { main } = await import('../cli/main.js');
    return await main(args);
  } finally {
    await site.close();
  }
}
