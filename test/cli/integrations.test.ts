/**
 * The CI integrations at the repository root, run for real:
 * - action.yml: the composite action's steps are run with bash as a GitHub runner would (inputs and
 *   `${{ ... }}` expressions substituted, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, outputs of one
 *   step fed to the next), except the set-up step (this checkout is already built);
 * - .pre-commit-hooks.yaml: the hook's entry runs the scan, and its file pattern picks the files that
 *   can matter.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './run.js';
import { sarifValidator } from '../report/sarif-schema.js';

interface Step {
  id: string;
  run: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  inputs: Record<string, { default: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Action;
const php = join(repoRoot, 'test', 'fixtures', 'cli', 'php-app');

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Runs the action's steps (but `setup`) in `cwd`; returns the last exit code, outputs and summary. */
function runAction(cwd: string, inputs: Record<string, string>) {
  const temp = mkdtempSync(join(tmpdir(), 'cg-runner-'));
  const summary = join(temp, 'summary.md');
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(action.inputs)) values[k] = inputs[k] ?? String(v.default ?? '');
  const steps: Record<string, Record<string, string>> = {};
  const expr = (s: string) =>
    s.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
      if (e === 'github.action_path') return repoRoot;
      if (e === 'runner.temp') return temp;
      let m = /^inputs\.([\w-]+)$/.exec(e);
      if (m) return values[m[1]!] ?? '';
      m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e);
      if (m) return steps[m[1]!]?.[m[2]!] ?? '';
      throw new Error(`expression not emulated: ${e}`);
    });
  let code = 0;
  let stdout = '';
  let stderr = '';
  for (const step of action.runs.steps) {
    if (step.id === 'setup') continue;
    const outFile = join(temp, `${step.id}.out`);
    const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_OUTPUT: outFile, GITHUB_STEP_SUMMARY: summary };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expr(v);
    const r = spawnSync('bash', ['-e', '-c', step.run], { cwd, env, encoding: 'utf8', timeout: 120_000 });
    steps[step.id] = readOutputs(outFile);
    code = r.status ?? -1;
    stdout += r.stdout;
    stderr += r.stderr;
    if (code !== 0) break;
  }
  const outputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(action.outputs)) outputs[k] = expr(v.value);
  const summaryText = existsSync(summary) ? readFileSync(summary, 'utf8') : '';
  return { code, outputs, summary: summaryText, stdout, stderr, temp };
}

describe('action.yml (composite GitHub Action)', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('is a composite action whose scripts read inputs from the environment only', () => {
    assert.equal(action.runs.using, 'composite');
    for (const s of action.runs.steps)
      assert.doesNotMatch(s.run, /\$\{\{/, `step ${s.id}: inputs must not be spliced into the script`);
    for (const k of ['command', 'paths', 'fail-on', 'format', 'baseline', 'sarif-file'])
      assert.ok(k in action.inputs, k);
  });

  test('scan: SARIF for upload-sarif, a Markdown job summary, the exit code of --fail-on', () => {
    const work = mkdtempSync(join(tmpdir(), 'cg-action-'));
    dirs.push(work);
    const r = runAction(work, {
      paths: php,
      'fail-on': 'high',
      format: 'junit',
      output: join(work, 'junit.xml'),
    });
    dirs.push(r.temp);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.outputs['exit-code'], '1');
    const sarif = JSON.parse(readFileSync(join(work, 'cookieguard.sarif'), 'utf8')) as {
      runs: { results: { ruleId: string }[] }[];
    };
    const v = sarifValidator();
    if ('validate' in v) assert.ok(v.validate(sarif), JSON.stringify(v.validate.errors));
    assert.ok(sarif.runs[0]!.results.some((x) => x.ruleId === 'cookie-missing-secure'));
    assert.match(r.summary, /^## cookieguard\n\n\*\*FAIL\*\*: \d+ findings? at or above `--fail-on high`/);
    assert.match(r.summary, /cookie-missing-secure/);
    assert.match(readFileSync(join(work, 'junit.xml'), 'utf8'), /<testsuites/);
    assert.match(r.stdout, /FAIL: /);
  });

  test('with a baseline of the same findings: passes, and the summary says they are baselined', () => {
    const work = mkdtempSync(join(tmpdir(), 'cg-action-'));
    dirs.push(work);
    const first = runAction(work, { paths: php, 'fail-on': 'low' });
    dirs.push(first.temp);
    assert.equal(first.code, 1);
    copyFileSync(first.outputs.report!, join(work, 'baseline.json'));
    const again = runAction(work, { paths: php, 'fail-on': 'low', baseline: 'baseline.json' });
    dirs.push(again.temp);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.summary, /\*\*PASS\*\*/);
    assert.match(again.summary, /\d+ already in the baseline \(not shown\)/);
  });

  test('args: split on white space, no glob expansion, no quoting (a quote is kept, with a warning)', () => {
    const work = mkdtempSync(join(tmpdir(), 'cg-action-'));
    dirs.push(work);
    // A legacy/ directory in the working directory: bash would expand an unquoted legacy/** into its files.
    cpSync(php, join(work, 'legacy'), { recursive: true });
    const all = runAction(work, { 'fail-on': 'low' });
    dirs.push(all.temp);
    assert.equal(all.code, 1, 'legacy/ has findings');
    const r = runAction(work, { 'fail-on': 'low', args: '--exclude legacy/**' });
    dirs.push(r.temp);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /warning/);
    const quoted = runAction(work, { 'fail-on': 'low', args: "--exclude 'legacy/**'" });
    dirs.push(quoted.temp);
    assert.equal(quoted.code, 1, 'the quotes are part of the glob, which matches nothing');
    assert.match(
      quoted.stderr,
      /cookieguard: warning: args are split on white space with no quoting: 'legacy\/\*\*' keeps/,
    );
  });

  test('bad input: a wrong command or a missing path is exit 2 with one line', () => {
    const work = mkdtempSync(join(tmpdir(), 'cg-action-'));
    dirs.push(work);
    const bad = runAction(work, { command: 'deploy' });
    dirs.push(bad.temp);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /cookieguard: command must be scan or check/);
    const missing = runAction(work, { paths: join(work, 'no-such-dir') });
    dirs.push(missing.temp);
    assert.equal(missing.code, 2, missing.stdout);
    assert.match(missing.stderr, /cookieguard: /);
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
  });
});

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    entry: string;
    language: string;
    files: string;
    pass_filenames: boolean;
  }[];
  const hook = hooks.find((h) => h.id === 'cookieguard-scan')!;

  test('the hook runs cookieguard scan on the repository when a file that matters is staged', () => {
    assert.equal(hook.language, 'node');
    assert.equal(hook.pass_filenames, false);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    const [cmd, ...args] = hook.entry.split(' ');
    assert.ok(cmd! in pkg.bin, `${cmd} is a bin of the package`);
    const re = new RegExp(hook.files);
    for (const f of [
      'app.py',
      'config/settings.py',
      'src/server.ts',
      'php.ini',
      '.env.production',
      'public/.htaccess',
    ])
      assert.ok(re.test(f), f);
    for (const f of ['README.md', 'logo.png', 'docs/guide.txt']) assert.ok(!re.test(f), f);
    // the entry, run in a repository with an insecure php.ini, fails the commit (exit 1)
    const work = mkdtempSync(join(tmpdir(), 'cg-hook-'));
    try {
      writeFileSync(join(work, 'php.ini'), '[Session]\nsession.cookie_secure = Off\n');
      writeFileSync(join(work, 'index.php'), '<?php session_start();\n');
      const r = spawnSync(process.execPath, [join(repoRoot, pkg.bin[cmd!]!), ...args, '--no-color'], {
        cwd: work,
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /cookie-missing-secure/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
