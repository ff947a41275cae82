/**
 * Command-line entry point. Returns the exit code (0 clean, 1 findings at or above --fail-on,
 * 2 could not do the job): see spec/cli.md and spec/findings.md. Every error a user can cause ends
 * as one line `cookieguard: ...` on stderr and exit 2; COOKIEGUARD_DEBUG=1 adds the stack.
 */
import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import type { RuleMeta } from '../rules/types.js';
import { VERSION } from '../version.js';
import { checkOutputPath, collect, parseFailOn, parseFormat, readReportFile } from './args.js';
import type { CheckFlags } from './check.js';
import type { CommonOptions } from './emit.js';
import { UserError, oneLine } from '../model/errors.js';
import { loadOptional } from './optional.js';
import type { ScanFlags } from './scan.js';
import type { HarFlags } from './har.js';

interface CommonFlags {
  format?: string;
  output?: string;
  failOn?: string;
  config?: string;
  showValues?: boolean;
  color: boolean;
  quiet?: boolean;
  baseline?: string;
  explain?: boolean;
  verbose?: boolean;
}

function say(line: string): void {
  process.stderr.write(`cookieguard: ${oneLine(line)}\n`);
}

function debug(e: unknown): void {
  if (process.env.COOKIEGUARD_DEBUG === '1' && e instanceof Error && e.stack)
    process.stderr.write(`${e.stack}\n`);
}

function addCommon(cmd: Command): Command {
  return cmd
    .option('--format <format>', 'report format: text, json, sarif, junit, html or markdown (default: text)')
    .option('--output <file>', 'write the report to FILE instead of stdout')
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding reaches this severity: high, medium, low, info or none (default: medium)',
    )
    .option(
      '--config <file>',
      'config file (default: cookieguard.config.json/.yaml/.yml or package.json "cookieguard", found upward)',
    )
    .option(
      '--baseline <file>',
      'a JSON report of an earlier run: findings already in it are left out (counted as baselined); the exit code follows the new ones',
    )
    .option(
      '--explain',
      'text report: the full explanation of every finding (what the browser does, evidence, code) (alias --verbose)',
    )
    .option('--verbose', 'same as --explain')
    .option('--show-values', 'print cookie values instead of <redacted>')
    .option('--no-color', 'no colours in the text report (NO_COLOR is honoured too)')
    .option('--quiet', 'no progress line and no warnings on stderr');
}

function resolveCommon(flags: CommonFlags, loaded: LoadedConfig): CommonOptions {
  const c = loaded.config;
  const opts: CommonOptions = {
    format: flags.format !== undefined ? parseFormat(flags.format) : (c.format ?? 'text'),
    failOn: flags.failOn !== undefined ? parseFailOn(flags.failOn) : (c.failOn ?? 'medium'),
    showValues: flags.showValues === true,
    color: flags.color !== false,
    quiet: flags.quiet === true,
    explain: flags.explain === true || flags.verbose === true,
  };
  if (flags.output !== undefined) opts.output = checkOutputPath(flags.output);
  if (flags.baseline !== undefined)
    opts.baseline = { file: flags.baseline, findings: readReportFile(flags.baseline, '--baseline').findings };
  return opts;
}

async function allRuleMetas(): Promise<RuleMeta[]> {
  const mod = await import('../rules/index.js');
  return mod.allRules.map((r) => r.meta);
}

/** `dev` and `demo` live in their own modules (src/dev/cli.ts, src/demo/cli.ts) and parse their own flags. */
async function delegate(name: 'dev' | 'demo', argv: string[]): Promise<number> {
  if (name === 'dev') {
    const mod = await loadOptional<{ runDev(argv: string[]): Promise<number> }>('../dev/cli.js');
    if (mod) return mod.runDev(argv);
  } else {
    const mod = await loadOptional<{ runDemo(argv: string[]): Promise<number> }>('../demo/cli.js');
    if (mod) return mod.runDemo(argv);
  }
  say(`${name}: not yet available in this version`);
  return 2;
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('cookieguard')
    .description('Find, explain and fix insecure session cookies, from source code to production.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      outputError: () => {
        /* printed once, by main(), as `cookieguard: ...` */
      },
    })
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      '\nExit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 the command could not do its job.',
    );

  // The common flags belong to the program: they work before or after the command name.
  addCommon(program);

  program
    .command('check')
    .description('live audit of URLs over HTTPS and their plain-HTTP twins')
    .argument('[URL...]', 'URLs to check (https:// or http://)')
    .option('--http <origin>', 'where the plain-HTTP twin of each URL lives (default: same host, port 80)')
    .option('--https <origin>', 'where the HTTPS twin of an http:// URL lives (default: same host, port 443)')
    .option('--ca <file>', 'trust this PEM CA in addition to the system roots (repeatable)', collect)
    .option('--insecure', 'do not verify TLS certificates (still reported as a finding)')
    .option(
      '--cookie <name=value>',
      "send this cookie, e.g. 'session=${ENV:SESSION}' (repeatable; never sent over plain HTTP)",
      collect,
    )
    .option(
      '--header <line>',
      "send this header, e.g. 'Authorization: Bearer ${ENV:TOKEN}' (repeatable)",
      collect,
    )
    .option('--timeout <ms>', 'per-request timeout in milliseconds (default: 10000)')
    .option('--concurrency <n>', 'URLs checked at once (default: 8)')
    .option('--source <dir>', 'also scan DIR and link live findings to the code that configured each cookie')
    .option(
      '--targets <file>',
      'also check the URLs in FILE, one a line (# comments and blank lines ignored)',
    )
    .option(
      '--shard <i/n>',
      'check only the I-th of N deterministic parts of the URLs (CI matrix, indexed job; join with `merge`)',
    )
    // check --crawl
    .option(
      '--crawl',
      'also check the same-origin pages each URL leads to (links, frames, form pages, redirects); GET only',
    )
    .option('--max-pages <n>', 'with --crawl: pages checked per URL given, itself included (default: 50)')
    .option('--max-depth <d>', 'with --crawl: links followed away from a URL given (default: 3; 0: none)')
    // check --login
    .option(
      '--login <url>',
      'log in first with the form on this page, then check the URLs with the session (credentials only over HTTPS)',
    )
    .option(
      '--login-field <name=value>',
      "a field of the login form, e.g. 'password=${ENV:APP_PASSWORD}' (repeatable; never printed)",
      collect,
    )
    // check --browser (issue 12)
    .option(
      '--browser',
      "also load each page in headless Chromium (the system's): cookies written by scripts, what Chromium blocks and why, mixed content the page really loads",
    )
    .option(
      '--chromium <path>',
      'Chromium binary for --browser (default: chromium, chromium-browser or google-chrome on PATH)',
    )
    .action(async (urls: string[], _opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<CheckFlags & CommonFlags>();
      const loaded = loadConfig(flags.config);
      const common = resolveCommon(flags, loaded);
      const { resolveCheck, runCheck } = await import('./check.js');
      const resolved = resolveCheck(urls, flags, loaded.config.check, process.env, loaded.config.scan);
      const outcome = await runCheck(resolved, { quiet: common.quiet });
      const { emitReport } = await import('./emit.js');
      setExit(
        await emitReport(outcome, common, {
          ignore: loaded.config.ignore ?? [],
          rules: await allRuleMetas(),
          warn: say,
        }),
      );
    });

  program
    .command('scan')
    .description('static audit of source code and configuration')
    .argument('[PATH...]', 'files or directories to scan (default: .)')
    .option(
      '--include <glob>',
      'also scan paths matching GLOB that are skipped by default or ignored, e.g. vendor/** (repeatable)',
      collect,
    )
    .option('--exclude <glob>', 'skip files matching GLOB (repeatable)', collect)
    .option('--max-file-size <bytes>', 'skip files larger than this (e.g. 500000, 512k, 2m)')
    .option(
      '--workers <n>',
      'parser worker threads (default: number of CPUs, at most 4; 1 = single-threaded)',
    )
    .option('--fix', 'apply the safe, mechanical fixes in place, then report what remains')
    .option('--dry-run', 'with --fix: print the fixes as a unified diff on stdout and change nothing')
    .action(async (paths: string[], _opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<ScanFlags & CommonFlags & { fix?: boolean; dryRun?: boolean }>();
      if (flags.dryRun && !flags.fix) throw new UserError('--dry-run goes with --fix (scan --fix --dry-run)');
      const loaded = loadConfig(flags.config);
      const common = resolveCommon(flags, loaded);
      const { resolveScan, runScan } = await import('./scan.js');
      const resolved = resolveScan(paths, flags, loaded.config.scan);
      let outcome = await runScan(resolved, { quiet: common.quiet });
      if (flags.fix && outcome.srcRoot) {
        const { runFix } = await import('./fix.js');
        const r = runFix(outcome, loaded.config.ignore ?? [], {
          dryRun: flags.dryRun === true,
          quiet: common.quiet,
          say,
        });
        if (flags.dryRun) {
          await (await import('./output.js')).writeStdout(r.diff);
          // Exits as `scan` would on the tree the diff makes: ignore list, baseline, --fail-on.
          const { sortFindings } = await import('./emit.js');
          const { secretsOf } = await import('./secrets.js');
          const secrets = secretsOf(outcome.observations, outcome.userSecrets ?? []);
          setExit(sortFindings(r.remaining, loaded.config.ignore ?? [], common, secrets).exitCode);
          return;
        }
        // What remains, from a new scan of the changed tree.
        if (r.changed > 0) outcome = await runScan(resolved, { quiet: true });
      }
      const { emitReport } = await import('./emit.js');
      setExit(
        await emitReport(outcome, common, {
          ignore: loaded.config.ignore ?? [],
          rules: await allRuleMetas(),
          warn: say,
        }),
      );
    });

  program
    .command('merge')
    .description('merge JSON reports (e.g. the shards of a `check --shard I/N` matrix) into one report')
    .argument('<REPORT...>', 'JSON reports written with --format json')
    .action(async (files: string[], _opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<CommonFlags>();
      const loaded = loadConfig(flags.config);
      const common = resolveCommon(flags, loaded);
      const parts = files.map((f) => readReportFile(f, ''));
      if (!common.quiet)
        parts.forEach((p, i) => {
          if (p.baselined > 0)
            say(
              `warning: ${files[i]} was written with --baseline: its ${p.baselined} baselined findings are not in it; give --baseline to merge instead`,
            );
        });
      const { mergeReports } = await import('./fleet.js');
      const merged = mergeReports(parts);
      const { emitReport } = await import('./emit.js');
      setExit(
        await emitReport(
          {
            findings: merged.findings,
            errors: merged.errors,
            observations: [],
            srcRoot: null,
            fatal: null,
            suppressedBefore: merged.suppressed,
          },
          common,
          { ignore: loaded.config.ignore ?? [], rules: await allRuleMetas(), warn: say },
        ),
      );
    });

  // `har FILE...` (issue 12 part 4): recorded browser traffic judged with the live rules.
  program
    .command('har')
    .description('audit recorded browser traffic (HAR 1.2 exported by Chrome, Firefox or Playwright)')
    .argument('<FILE...>', 'HAR files')
    .option('--max-size <bytes>', 'refuse HAR files larger than this (e.g. 200m, 2g; default: 512m)')
    .action(async (files: string[], _opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<HarFlags & CommonFlags>();
      const loaded = loadConfig(flags.config);
      const common = resolveCommon(flags, loaded);
      const { resolveHar, runHar } = await import('./har.js');
      const resolved = resolveHar(files, flags, loaded.config.har);
      const outcome = await runHar(resolved, { quiet: common.quiet });
      const { emitReport } = await import('./emit.js');
      setExit(
        await emitReport(outcome, common, {
          ignore: loaded.config.ignore ?? [],
          rules: await allRuleMetas(),
          warn: say,
        }),
      );
    });

  // `dev` and `demo` parse their own flags: main() hands them the raw arguments when they come first;
  // after common flags (`cookieguard --quiet demo`), they get what commander left.
  for (const [name, description] of [
    ['dev', 'local HTTPS reverse proxy for development (see `cookieguard dev --help`)'],
    ['demo', 'start the bundled example site on loopback, audit its code and URLs, print the linked report'],
  ] as const) {
    program
      .command(name)
      .description(description)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]')
      .action(async (args: string[]) => setExit(await delegate(name, args)));
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const onFatal = (e: unknown) => {
    say(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    debug(e);
    process.exit(2);
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  try {
    if (argv[0] === 'dev' || argv[0] === 'demo') return await delegate(argv[0], argv.slice(1));
    let code = 0;
    const program = buildProgram((c) => {
      code = c;
    });
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      if (e.code === 'commander.help') return 2;
      say(e.message.replace(/^error: /, ''));
      return 2;
    }
    if (e instanceof UserError) {
      say(e.message);
      debug(e);
      return 2;
    }
    say(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    debug(e);
    return 2;
  }
}
