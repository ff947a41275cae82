/**
 * One framework group of the truth matrix as a node:test suite: start the group's apps and one nginx
 * with a TLS server block per app (plus a block without X-Forwarded-Proto for the variants that have
 * a `forgetful` truth), then, per variant: the cookie jar's truth on each channel, `cookieguard scan`
 * on the app's directory and `cookieguard check` on the proxied URL with the app itself as the
 * plain-HTTP twin, each compared with test/frameworks/matrix.ts.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createCa } from '../../src/tls/ca.js';
import { nginxMissing, startNginx, type NginxServer, type RunningNginx } from '../helpers/nginx.js';
import {
  jarTruth,
  lineOf,
  pool,
  readVersions,
  runCli,
  runtimeMissing,
  startApp,
  truthDiff,
  writeCaFile,
  FIXTURES,
  type CliRun,
  type JsonFinding,
  type RunningApp,
} from './harness.js';
import { RELEVANT_RULES, variantsOf, type Expect, type Group, type Truth, type Variant } from './matrix.js';

/** Apps started at once (each is a process; Django and Flask take a second or two). */
const START_CONCURRENCY = 3;
/** Variants checked at once: each spawns the CLI twice or three times. */
const TEST_CONCURRENCY = 2;

/** The rules reported about `cookie`, among the matrix's relevant rules, sorted and unique. */
export function rulesFor(findings: JsonFinding[], cookie: string): string[] {
  return [
    ...new Set(
      findings.filter((f) => f.cookie === cookie && RELEVANT_RULES.includes(f.rule)).map((f) => f.rule),
    ),
  ].sort();
}

function describeFindings(findings: JsonFinding[]): string {
  return findings
    .map(
      (f) =>
        `  ${f.rule} [${f.cookie ?? '-'}] ${f.location ? `${f.location.file}:${f.location.line}` : (f.url ?? '')}`,
    )
    .join('\n');
}

function libraries(variants: Variant[]): string[] {
  const libs = new Set<string>();
  for (const v of variants) for (const d of v.defaults ?? []) libs.add(d.library);
  for (const v of variants) {
    if (v.runtime === 'php') libs.add('php');
    if (v.runtime === 'flask') libs.add('flask');
    if (v.runtime === 'django') libs.add('django');
    if (v.runtime === 'jetty') libs.add('jetty');
    if (v.runtime === 'rails') libs.add('rails'); // issue 13
    if (v.runtime === 'go') libs.add('go'); // i13-go
  }
  return [...libs];
}

function assertTruth(
  t: TestContext,
  label: string,
  actual: Truth & { setCookies: string[]; status: number },
  expected: Truth,
): void {
  const diff = truthDiff(actual, expected);
  assert.deepEqual(
    diff,
    [],
    `${label}: ${diff.join('; ')} (status ${actual.status}, Set-Cookie: ${actual.setCookies.join(' | ') || 'none'})`,
  );
  t.diagnostic(
    `${label}: ${actual.stored ? `stored${actual.secure ? ' Secure' : ' without Secure'}${actual.httpOnly ? ' HttpOnly' : ''}${actual.persistent ? ' persistent' : ''}` : 'nothing stored'}`,
  );
}

function assertRules(t: TestContext, label: string, run: CliRun, cookie: string, expected: Expect): void {
  const got = rulesFor(run.findings, cookie);
  assert.deepEqual(
    got,
    [...expected.rules].sort(),
    `${label} about ${cookie}:\n${describeFindings(run.findings)}`,
  );
  if (expected.why)
    t.diagnostic(
      `${label}: ${expected.rules.length ? expected.rules.join(', ') : 'nothing'}, because ${expected.why}`,
    );
}

export function matrixSuite(group: Group): void {
  const variants = variantsOf(group);
  if (variants.length === 0) throw new Error(`matrix.ts has no variant in group ${group}`);
  const missing = [
    nginxMissing(),
    ...[...new Set(variants.map((v) => v.runtime))].map(runtimeMissing),
  ].filter((m): m is string => m !== null);

  describe(
    `framework truth matrix: ${group}`,
    { skip: missing.length > 0 ? missing.join('; ') : false, concurrency: TEST_CONCURRENCY },
    () => {
      const apps = new Map<string, RunningApp>();
      const proxyPorts = new Map<string, { proxied: number; forgetful?: number }>();
      const scans = new Map<string, Promise<CliRun>>();
      let nginx: RunningNginx | null = null;
      let caFile: { file: string; cleanup(): void } | null = null;
      let caPem = '';

      before(
        async () => {
          const ca = await createCa({ commonName: `cookieguard matrix CA (${group})` });
          const leaf = await ca.issue(['localhost', '127.0.0.1']);
          caPem = ca.certPem;
          caFile = writeCaFile(ca.certPem);
          // Every app is started (or has failed) before this hook ends, so that after() stops them all.
          await pool(variants, START_CONCURRENCY, async (v) => {
            apps.set(v.id, await startApp(v));
          });
          const servers: NginxServer[] = [];
          const slots: { id: string; kind: 'proxied' | 'forgetful' }[] = [];
          for (const v of variants) {
            servers.push({ upstreamPort: apps.get(v.id)!.port });
            slots.push({ id: v.id, kind: 'proxied' });
            if (v.truth.forgetful) {
              servers.push({ upstreamPort: apps.get(v.id)!.port, forwardProto: false });
              slots.push({ id: v.id, kind: 'forgetful' });
            }
          }
          nginx = await startNginx({ certPem: leaf.certPem, keyPem: leaf.keyPem, servers });
          nginx.ports.forEach((port, i) => {
            const s = slots[i]!;
            const entry = proxyPorts.get(s.id) ?? { proxied: 0 };
            entry[s.kind] = port;
            proxyPorts.set(s.id, entry);
          });
        },
        { timeout: 90_000 },
      );

      after(async () => {
        await Promise.all([...apps.values()].map((a) => a.stop()));
        if (nginx) await nginx.stop();
        caFile?.cleanup();
      });

      it('versions tested', (t) => {
        const now = readVersions(libraries(variants));
        if (nginx) t.diagnostic(`nginx: ${nginx.version}`);
        for (const [lib, version] of Object.entries(now)) {
          assert.notEqual(version, 'unavailable', `version of ${lib}`);
          const tested = variants.flatMap((v) => v.defaults ?? []).filter((d) => d.library === lib);
          const testedAt = [...new Set(tested.map((d) => d.tested))];
          const mismatch =
            testedAt.length > 0 && !testedAt.some((v) => version === v || version.startsWith(`${v}.`));
          t.diagnostic(
            `${lib}: ${version}${testedAt.length ? ` (defaults in matrix.ts written for ${testedAt.join(', ')}${mismatch ? ': DIFFERENT, the assertions below say whether they still hold' : ''})` : ''}`,
          );
        }
      });

      const scanOf = (dir: string): Promise<CliRun> => {
        let p = scans.get(dir);
        if (!p) {
          p = runCli(['scan', `${FIXTURES}/${dir}`, '--fail-on', 'none']);
          scans.set(dir, p);
        }
        return p;
      };

      for (const v of variants) {
        it(v.id, async (t) => {
          const app = apps.get(v.id)!;
          const ports = proxyPorts.get(v.id)!;
          const direct = `http://127.0.0.1:${app.port}/login`;
          const proxied = `https://127.0.0.1:${ports.proxied}/login`;
          for (const d of v.defaults ?? []) t.diagnostic(`default (${d.library} ${d.tested}): ${d.what}`);

          // 1. The truth: what a cookie jar stores.
          assertTruth(t, `jar, ${direct}`, await jarTruth(direct, v.cookie), v.truth.direct);
          assertTruth(
            t,
            `jar, ${proxied} (nginx)`,
            await jarTruth(proxied, v.cookie, caPem),
            v.truth.proxied,
          );
          if (v.truth.forgetful) {
            const url = `https://127.0.0.1:${ports.forgetful}/login`;
            assertTruth(
              t,
              `jar, ${url} (nginx without X-Forwarded-Proto)`,
              await jarTruth(url, v.cookie, caPem),
              v.truth.forgetful,
            );
          }

          // 2. scan on the app's source.
          const scan = await scanOf(v.dir);
          assert.deepEqual(scan.errors, [], `scan ${v.dir}: errors`);
          assertRules(t, `scan ${v.dir}`, scan, v.cookie, v.scan);
          if (v.scan.at) {
            const rule = v.scan.rules[0]!;
            const f = scan.findings.find((x) => x.rule === rule && x.cookie === v.cookie)!;
            const line = lineOf(v.dir, v.scan.at.file, v.scan.at.line);
            assert.deepEqual(
              f.location && { file: f.location.file, line: f.location.line },
              { file: v.scan.at.file, line },
              `scan ${v.dir}: ${rule} points at ${v.scan.at.file}:${line} (${v.scan.at.line})`,
            );
            if (v.scan.says) assert.match(f.message, v.scan.says, `scan ${v.dir}: ${rule} message`);
          }

          // 3. check on the running app: HTTPS through nginx, the app itself as the plain-HTTP twin.
          const check = (url: string): Promise<CliRun> =>
            runCli([
              'check',
              url,
              '--http',
              `http://127.0.0.1:${app.port}`,
              '--ca',
              caFile!.file,
              '--fail-on',
              'none',
              '--timeout',
              '10000',
            ]);
          const live = await check(proxied);
          assert.deepEqual(live.errors, [], `check ${proxied}: errors`);
          assertRules(t, `check ${proxied}`, live, v.cookie, v.check.proxied);
          if (v.check.forgetful && ports.forgetful) {
            const url = `https://127.0.0.1:${ports.forgetful}/login`;
            const forgetful = await check(url);
            assert.deepEqual(forgetful.errors, [], `check ${url}: errors`);
            assertRules(
              t,
              `check ${url} (nginx without X-Forwarded-Proto)`,
              forgetful,
              v.cookie,
              v.check.forgetful,
            );
            for (const f of forgetful.findings.filter((x) => x.rule === 'session-trust-proxy-missing')) {
              // The finding comes from the live probe, which compared the answers with and without the header.
              assert.match(
                f.evidence ?? '',
                /X-Forwarded-Proto: https/,
                'the probe explains what it compared',
              );
              assert.doesNotMatch(f.evidence ?? '', /s%3A|eyJ/, 'cookie values are redacted in the evidence');
              t.diagnostic(`probe: ${f.message}`);
            }
          }
        });
      }
    },
  );
}
