/**
 * `scan --fix` on Go, Java (a servlet, Spring Boot application.properties and application.yml) and
 * Rails (test/fixtures/fix/typed): a literal that turns Secure or HttpOnly off is made true, and every
 * changed file is read back by the language's own tool: `go build` (GOPATH mode, standard library
 * only), `javac` against Debian's servlet API, java.util.Properties, Ruby's YAML (Spring Boot reads
 * application.yml as YAML 1.1), `ruby -c`. A new scan no longer reports the fixed findings.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runCli } from '../cli/run.js';
import { planFixes } from '../../src/fix/plan.js';
import type { Finding } from '../../src/model/finding.js';

const FIXTURE = join(repoRoot, 'test', 'fixtures', 'fix', 'typed');
const SERVLET_JAR = '/usr/share/java/servlet-api.jar';

interface JsonFinding {
  rule: string;
  cookie: string | null;
  location: { file: string; line: number } | null;
  codeFix?: { replacement: string };
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const has = (cmd: string) => spawnSync(cmd, ['--version'], { encoding: 'utf8' }).error === undefined;

async function findings(dir: string): Promise<JsonFinding[]> {
  const r = await runCli(['scan', dir, '--format', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
}

test('scan --fix: Go, Java, Spring Boot properties / YAML and Rails, each read back by its own tool', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-fix-typed-'));
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  const key = (f: JsonFinding) => `${f.rule} ${f.cookie} ${f.location?.file}:${f.location?.line}`;
  const before = (await findings(dir)).filter(
    (f) => f.rule === 'cookie-missing-secure' || f.rule === 'cookie-missing-httponly',
  );
  assert.equal(before.length, 10, before.map(key).join('\n'));
  assert.ok(
    before.every((f) => f.codeFix),
    `every one carries a codeFix: ${before.filter((f) => !f.codeFix).map(key)}`,
  );

  const r = await runCli(['scan', dir, '--fix', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /fixed 10 findings in 5 files/);
  const again = await findings(dir);
  for (const f of before) assert.ok(!again.some((g) => key(g) === key(f)), `still reported: ${key(f)}`);

  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  assert.match(read('gosvc/main.go'), /HttpOnly: true, Secure: true\}/);
  assert.match(
    read('javasvc/src/main/java/app/LoginServlet.java'),
    /auth\.setSecure\(true\);\n\s+auth\.setHttpOnly\(true\);/,
  );
  assert.match(
    read('yamlsvc/src/main/resources/application.yml'),
    /secure: true # TODO\n\s+http-only: true\n/,
  );

  // Go: the program still builds (GOPATH mode, standard library only, offline).
  if (has('go')) {
    const cache = mkdtempSync(join(tmpdir(), 'cg-gocache-'));
    dirs.push(cache);
    const c = spawnSync('go', ['build', '-o', join(cache, 'out'), 'main.go'], {
      cwd: join(dir, 'gosvc'),
      encoding: 'utf8',
      env: { ...process.env, GO111MODULE: 'off', GOCACHE: cache, GOFLAGS: '', GOPROXY: 'off' },
    });
    assert.equal(c.status, 0, c.stderr);
  }
  // Java: the servlet compiles; Java reads the properties as true.
  if (has('javac') && existsSync(SERVLET_JAR)) {
    const out = mkdtempSync(join(tmpdir(), 'cg-javac-'));
    dirs.push(out);
    const c = spawnSync(
      'javac',
      ['-d', out, '-cp', SERVLET_JAR, join(dir, 'javasvc/src/main/java/app/LoginServlet.java')],
      { encoding: 'utf8' },
    );
    assert.equal(c.status, 0, c.stderr);
    const check = join(out, 'ReadProps.java');
    writeFileSync(
      check,
      'import java.io.FileReader; import java.util.Properties;\n' +
        'public class ReadProps { public static void main(String[] a) throws Exception {\n' +
        '  Properties p = new Properties(); p.load(new FileReader(a[0]));\n' +
        '  System.out.print(p.getProperty("server.servlet.session.cookie.secure") + " " +\n' +
        '    p.getProperty("server.servlet.session.cookie.http-only")); } }\n',
    );
    const j = spawnSync('java', [check, join(dir, 'javasvc/src/main/resources/application.properties')], {
      encoding: 'utf8',
    });
    assert.equal(j.stdout, 'true true', j.stderr);
  }
  // YAML (as Spring Boot reads it) and Ruby.
  if (has('ruby')) {
    const y = spawnSync(
      'ruby',
      [
        '-ryaml',
        '-e',
        'c = YAML.load_file(ARGV[0]).dig("server", "servlet", "session", "cookie"); print c["secure"], " ", c["http-only"]',
        join(dir, 'yamlsvc/src/main/resources/application.yml'),
      ],
      { encoding: 'utf8' },
    );
    assert.equal(y.stdout, 'true true', y.stderr);
    const rb = spawnSync('ruby', ['-c', join(dir, 'railsapp/config/initializers/session_store.rb')], {
      encoding: 'utf8',
    });
    assert.equal(rb.status, 0, rb.stderr);
    assert.match(read('railsapp/config/initializers/session_store.rb'), /secure: true, httponly: true/);
  }
});

/** planFixes on one line of a file, the finding's region being the whole line after its indentation. */
function planOne(file: string, line: string, rule = 'cookie-missing-secure'): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'cg-fix-plan-'));
  dirs.push(dir);
  writeFileSync(join(dir, file), `${line}\n`);
  const column = line.length - line.trimStart().length + 1;
  const finding: Finding = {
    rule,
    severity: 'high',
    source: 'code',
    message: '',
    cookie: 'x',
    location: { file, line: 1, column, endLine: 1, endColumn: line.length + 1 },
    url: null,
    evidence: null,
    fix: null,
    framework: null,
  };
  const plan = planFixes([finding], dir);
  return plan.fixes[0]?.fix.replacement ?? null;
}

test("--fix flips only what is false in the file's own language", () => {
  // YAML 1.1 (Spring Boot's reader) and Spring's property conversion take off / no.
  assert.equal(planOne('application.yml', '        secure: off'), 'on');
  assert.equal(planOne('application.yml', '        secure: False  # from a template'), 'True');
  assert.equal(planOne('application.properties', 'server.servlet.session.cookie.secure=no'), 'yes');
  assert.equal(
    planOne(
      'application.properties',
      'server.servlet.session.cookie.http-only: false',
      'cookie-missing-httponly',
    ),
    'true',
  );
  // Quotes are part of a .properties value; a Go or Java string, or a Ruby 0 (true in Ruby), is no bool.
  assert.equal(planOne('application.properties', "server.servlet.session.cookie.secure='0'"), null);
  assert.equal(planOne('main.go', 'c := http.Cookie{Name: "s", Secure: "false"}'), null);
  assert.equal(planOne('store.rb', 'config.session_store :cookie_store, secure: 0'), null);
  assert.equal(planOne('Login.java', 'cookie.setSecure(false);'), 'true');
  assert.equal(
    planOne('Login.java', 'cookie.setHttpOnly(false);'),
    null,
    'the setter of the other attribute',
  );
  assert.equal(planOne('Login.java', 'cookie.setHttpOnly(false);', 'cookie-missing-httponly'), 'true');
  // `insecure: false` names the opposite; a comment is not the value.
  assert.equal(planOne('store.rb', 'config.x = { insecure: false }'), null);
});
