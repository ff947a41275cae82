/**
 * Fleet checks: `--targets FILE`, `--shard I/N` and `cookieguard merge`, against loopback sites.
 * The merged shards must give the same findings as one unsharded run.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseShard, selectShard, shardKey, shardOf } from '../../src/cli/fleet.js';
import { sarifValidator } from '../report/sarif-schema.js';
import { oneErrorLine, runCli } from './run.js';
import { SECRET, startSites, type JsonReport, type Sites } from './sites.js';

test('shards: a deterministic split that depends on each URL only, not on the list order', () => {
  const urls = Array.from({ length: 200 }, (_, i) => `https://site${i}.example/`);
  const parts = [1, 2, 3, 4].map((i) => selectShard(urls, { index: i, count: 4 }));
  assert.deepEqual(parts.flat().sort(), [...urls].sort(), 'every URL in exactly one shard');
  for (const p of parts) assert.ok(p.length > 25 && p.length < 75, `balanced enough: ${p.length}`);
  const reversed = [...urls].reverse();
  for (let i = 1; i <= 4; i++)
    assert.deepEqual(
      new Set(selectShard(reversed, { index: i, count: 4 })),
      new Set(parts[i - 1]),
      'reordering the list moves no URL',
    );
  // Adding URLs moves none of the others.
  const grown = [...urls, 'https://new.example/'];
  for (const u of urls) assert.ok(selectShard(grown, { index: shardOf(u, 4), count: 4 }).includes(u));
  assert.deepEqual(parseShard('2/8'), { index: 2, count: 8 });
  // One site, one shard: HSTS and cookies are per host (any port) and may cover a parent domain.
  assert.equal(shardKey('https://www.shop.example.co.uk:8443/x'), 'example.co.uk');
  assert.equal(shardKey('http://API.Example.com/'), 'example.com');
  assert.equal(shardKey('https://127.0.0.1:9443/'), '127.0.0.1');
  assert.equal(shardKey('https://[::1]:9443/'), '::1');
  for (const n of [2, 3, 7])
    assert.equal(shardOf('https://a.example.com:1/', n), shardOf('http://b.example.com/other', n));
  for (const bad of ['0/3', '4/3', '1/0', 'x', '1-3', '-1/3'])
    assert.throws(() => parseShard(bad), /--shard/, bad);
});

describe('check --targets, --shard and merge', () => {
  let s: Sites;
  let targets: string;
  let all: string[];
  before(async () => {
    s = await startSites();
    all = [
      ...['/', '/a', '/b', '/c', '/d', '/e', '/f'].map((p) => `${s.bad.httpsOrigin}${p}`),
      ...['/', '/x', '/y'].map((p) => `${s.good.httpsOrigin}${p}`),
    ];
    targets = join(s.tmp, 'targets.txt');
    writeFileSync(
      targets,
      [
        '# production sites',
        '',
        ...all.slice(2).map((u, i) => (i % 2 ? `  ${u}  ` : u)),
        '   # indented comment',
      ].join('\n'),
    );
  });
  after(async () => s.close());

  const common = () => [
    '--ca',
    s.ca.caFile,
    '--http',
    s.bad.httpOrigin,
    '--format',
    'json',
    '--fail-on',
    'none',
  ];
  const sorted = (r: JsonReport) => r.findings.map((f) => JSON.stringify(f)).sort();

  test('URL arguments and a targets file together; merged shards equal the unsharded run', async () => {
    const whole = await runCli(['check', all[0]!, all[1]!, '--targets', targets, ...common()], {
      timeoutMs: 120_000,
    });
    assert.equal(whole.code, 0, whole.stderr);
    const wholeReport = JSON.parse(whole.stdout) as JsonReport;
    const urlsSeen = new Set(wholeReport.findings.map((f) => f.url?.replace(/^http:/, 'https:')));
    assert.ok(urlsSeen.has(`${s.bad.httpsOrigin}/f`), 'a URL from the targets file was checked');
    assert.ok(wholeReport.findings.length >= all.length / 2);

    const files: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const out = join(s.tmp, `shard-${i}.json`);
      const r = await runCli(
        ['check', all[0]!, all[1]!, '--targets', targets, '--shard', `${i}/3`, ...common(), '--output', out],
        { timeoutMs: 120_000 },
      );
      assert.equal(r.code, 0, r.stderr);
      files.push(out);
    }
    const merged = await runCli(['merge', ...files, '--format', 'json', '--fail-on', 'none']);
    assert.equal(merged.code, 0, merged.stderr);
    const mergedReport = JSON.parse(merged.stdout) as JsonReport;
    assert.deepEqual(sorted(mergedReport), sorted(wholeReport));
    assert.equal(mergedReport.errors.length, wholeReport.errors.length);
    assert.ok(!merged.stdout.includes(SECRET), 'values stay redacted through the merge');

    // Any format; the exit code follows --fail-on on the merged findings.
    const sarif = await runCli(['merge', ...files, '--format', 'sarif']);
    assert.equal(sarif.code, 1, 'high findings fail at the default --fail-on medium');
    const schema = sarifValidator();
    if ('validate' in schema)
      assert.ok(schema.validate(JSON.parse(sarif.stdout)), JSON.stringify(schema.validate.errors));
    const text = await runCli(['merge', ...files, '--no-color', '--fail-on', 'none']);
    assert.match(text.stdout, new RegExp(`${wholeReport.findings.length} findings`));
  });

  test('an empty shard is a valid part: no request, empty report, exit 0', async () => {
    // One URL and 50 shards: at least 49 are empty.
    const only = all[0]!;
    const mine = shardOf(only, 50);
    const empty = mine === 1 ? 2 : 1;
    const r = await runCli(['check', only, '--shard', `${empty}/50`, ...common()]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as JsonReport).findings, []);
    assert.match(r.stderr, new RegExp(`shard ${empty}/50 holds none of the 1 URLs`));
  });

  test('bad input: one line, exit 2', async () => {
    const badTargets = join(s.tmp, 'bad-targets.txt');
    writeFileSync(badTargets, `${all[0]}\n# ok\nftp://example.com/\n`);
    const binTargets = join(s.tmp, 'bin-targets.txt');
    writeFileSync(binTargets, Buffer.from([0x68, 0, 0x74]));
    const notReport = join(s.tmp, 'not-report.json');
    writeFileSync(notReport, '{"runs": []}');
    const cases: [string[], RegExp][] = [
      [
        ['check', '--targets', badTargets],
        /--targets .*bad-targets\.txt, line 3: not an http:\/\/ or https:\/\/ URL/,
      ],
      [['check', '--targets', binTargets], /not a text file/],
      [['check', '--targets', join(s.tmp, 'none.txt')], /cannot read --targets .*no such file/],
      [['check'], /no URL to check/],
      [['check', all[0]!, '--shard', '3/2'], /--shard 3\/2: I must be between 1 and 2/],
      [['merge', notReport], /not-report\.json is not a cookieguard JSON report/],
      [['merge', join(s.tmp, 'missing.json')], /cannot read .*missing\.json/],
    ];
    for (const [args, expected] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(oneErrorLine(r.stderr) ?? r.stderr, expected);
    }
  });

  test('the example GitHub Actions and Kubernetes files in the README are present and name the flags', () => {
    for (const f of ['examples/ci/github-actions-shards.yml', 'examples/ci/kubernetes-indexed-job.yaml']) {
      const text = readFileSync(join(import.meta.dirname, '..', '..', '..', f), 'utf8');
      assert.match(text, /--shard/);
      assert.match(text, /merge/);
    }
  });
});
