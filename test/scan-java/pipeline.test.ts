/**
 * Java (issue 13): the whole scan path (discovery, keyword filter, the Java extractors and resolver,
 * rules) on the small projects of test/fixtures/scan-java, as a case table of every finding each must
 * give and nothing else. The decoys in them (a mail client's `ssl.enable: false`, a JDBC `useSSL=false`,
 * `setSecure(false)` on a mail client, a `new Cookie(...)` in a comment and in a string, a commented-out
 * <cookie-config>, a cookie deletion, a Set-Cookie header from a ResponseCookie counted once, test code)
 * give nothing (or info, for test code). Then the extractors on snippets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectCode } from '../../src/collect/code/index.js';
import { javaCodeExtractor } from '../../src/collect/code/java/code.js';
import { springConfigExtractor, springValue, webXmlExtractor } from '../../src/collect/code/java/config.js';
import {
  extractors as javaExtractors,
  resolvers as javaResolvers,
} from '../../src/collect/code/java/index.js';
import type { CodeFact, FileFacts, ProjectFacts } from '../../src/collect/code/types.js';
import type { Finding } from '../../src/model/finding.js';
import type { CookieObservation, Observation } from '../../src/model/observation.js';
import { runRules } from '../../src/rules/index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/scan-java/', import.meta.url));

function row(f: Finding): string {
  return `${f.rule} ${f.severity} ${f.cookie ?? '-'} ${f.location ? `${f.location.file}:${f.location.line}` : '-'}`;
}

async function scan(app: string) {
  const r = await collectCode([join(FIXTURES, app)], { workers: 0 });
  assert.deepEqual(r.errors, []);
  return { observations: r.observations, findings: runRules(r.observations) };
}

function cookie(obs: Observation[], name: string): CookieObservation {
  const c = obs.find((o): o is CookieObservation => o.kind === 'cookie' && o.name === name);
  assert.ok(c, `cookie ${name}`);
  return c;
}

const CASES: { app: string; what: string; findings: string[] }[] = [
  {
    app: 'spring-profiles',
    what: 'application.yml secure: false, application-prod.yml secure: true: env-dependent per profile',
    findings: ['cookie-secure-env-dependent medium JSESSIONID src/main/resources/application.yml:7'],
  },
  {
    app: 'spring-multidoc',
    what: 'spring.profiles.active: prod and a prod document with secure: true: Secure without a profile too',
    findings: [],
  },
  {
    app: 'spring-default-proxy',
    what: 'Spring Boot default (Secure follows the request), a Procfile proxy, no forward-headers-strategy',
    findings: [
      'session-trust-proxy-missing medium JSESSIONID src/main/java/com/example/CartController.java:10',
    ],
  },
  {
    app: 'spring-trusted-proxy',
    what: 'the same with server.forward-headers-strategy=native',
    findings: [],
  },
  {
    app: 'spring-url-tracking',
    what: 'tracking-modes=cookie,url; http-only=false; secure=${COOKIE_SECURE:false}; a custom name',
    findings: [
      'cookie-missing-httponly medium SHOPSESSION src/main/resources/application.properties:2',
      'cookie-missing-secure high SHOPSESSION src/main/resources/application.properties:3',
      'session-id-in-url medium jsessionid src/main/resources/application.properties:1',
    ],
  },
  {
    app: 'servlet-jetty',
    what: 'web.xml without cookie-config on Jetty (not HttpOnly by default); servlet Cookies; a deletion',
    findings: [
      'cookie-missing-httponly medium JSESSIONID src/main/java/app/LoginServlet.java:12',
      'cookie-missing-secure high remember_token src/main/java/app/LoginServlet.java:14',
    ],
  },
  {
    app: 'tomcat-context',
    what: 'Tomcat context.xml useHttpOnly="false" with web.xml <secure>true</secure>',
    findings: ['cookie-missing-httponly medium JSESSIONID src/main/webapp/META-INF/context.xml:2'],
  },
  {
    app: 'servlet-unknown-container',
    what: "web.xml with <secure>true</secure> and no build file: HttpOnly is the unknown container's default",
    findings: ['cookie-config-unresolved info JSESSIONID src/main/webapp/WEB-INF/web.xml:6'],
  },
  {
    app: 'spring-code',
    what: 'ResponseCookie builders, a hand-written Set-Cookie header, SessionCookieConfig in code, test code',
    findings: [
      'cookie-missing-secure high refresh_token src/main/java/com/example/AuthController.java:20',
      'cookie-missing-secure high sid src/main/java/com/example/AuthController.java:30',
      'cookie-missing-secure info session_probe src/test/java/com/example/AuthControllerTest.java:7',
      'session-cookie-persistent low refresh_token src/main/java/com/example/AuthController.java:20',
    ],
  },
];

for (const c of CASES) {
  test(`scan-java ${c.app}: ${c.what}`, async () => {
    const { findings } = await scan(c.app);
    assert.deepEqual(findings.map(row).sort(), [...c.findings].sort());
  });
}

test('spring-profiles: the value per profile, the versions and the fix in Spring words', async () => {
  const { observations, findings } = await scan('spring-profiles');
  const s = cookie(observations, 'JSESSIONID');
  assert.deepEqual(s.secure.provenance, {
    kind: 'env-dependent',
    condition: 'the active Spring profile (spring.profiles.active)',
    perEnvironment: { default: false, prod: true },
    resolvedFrom: ['src/main/resources/application-prod.yml', 'src/main/resources/application.yml'],
  });
  assert.equal(s.httpOnly.value, true);
  assert.equal(s.framework, 'spring');
  assert.match(findings[0]!.fix ?? '', /server\.servlet\.session\.cookie\.secure=true/);
});

test('servlet-jetty: the container default is named, the advice is web.xml, the deletion is not judged', async () => {
  const { observations, findings } = await scan('servlet-jetty');
  const s = cookie(observations, 'JSESSIONID');
  assert.equal(s.framework, 'servlet');
  assert.deepEqual(s.secure.value, 'auto');
  assert.equal(s.httpOnly.value, false);
  assert.equal(s.httpOnly.provenance.kind, 'framework-default');
  const httpOnly = findings.find((f) => f.rule === 'cookie-missing-httponly')!;
  assert.match(httpOnly.message, /jetty 9\.4's default/);
  assert.match(httpOnly.fix ?? '', /<http-only>true<\/http-only>/);
  const gone = observations.find((o) => o.kind === 'cookie' && o.name === 'legacy_sid') as CookieObservation;
  assert.equal(gone.deletion, true);
  const remember = findings.find((f) => f.cookie === 'remember_token')!;
  assert.match(remember.fix ?? '', /setSecure\(true\)/);
});

test('spring-code: every cookie once (a ResponseCookie sent with toString() is not a second cookie)', async () => {
  const { observations } = await scan('spring-code');
  const names = observations.flatMap((o) => (o.kind === 'cookie' ? [o.name] : [])).sort();
  assert.deepEqual(names, [
    'JSESSIONID',
    'auth_token',
    'auth_token',
    'refresh_token',
    'session_probe',
    'sid',
  ]);
  const session = cookie(observations, 'JSESSIONID');
  assert.equal(session.secure.value, true, 'getSessionCookieConfig().setSecure(true)');
  assert.equal(session.httpOnly.value, true);
  const good = observations.find(
    (o): o is CookieObservation => o.kind === 'cookie' && o.name === 'auth_token' && !o.deletion,
  )!;
  assert.equal(good.sameSite.value, 'lax');
});

// ---------------------------------------------------------------------------------------------
// Extractors on snippets

function settings(facts: CodeFact[]): { key: string; value: unknown; profile: string }[] {
  return facts
    .filter((f) => f.type === 'other' && f.key === 'java-setting')
    .map((f) => {
      const d = (f as { data: { key: string; value: unknown; profile: string } }).data;
      return { key: d.key, value: d.value, profile: d.profile };
    });
}

const src = (file: string, text: string) => ({ file, absPath: `/virtual/${file}`, text });

test('Spring properties: relaxed names, placeholders, profile documents, decoys', () => {
  const facts = springConfigExtractor.extract(
    src(
      'src/main/resources/application.properties',
      [
        'server.servlet.session.cookie.httpOnly=true',
        'server.servlet.session.cookie.http_only = false',
        'server.servlet.session.cookie.secure: ${SECURE_COOKIES:true}',
        'spring.mail.properties.mail.smtp.ssl.enable=false',
        'server.ssl.enabled=false',
        '#---',
        'spring.config.activate.on-profile=dev',
        'server.servlet.session.cookie.secure=false',
      ].join('\n'),
    ),
  );
  assert.deepEqual(settings(facts), [
    { key: 'http-only', value: { kind: 'literal', value: true }, profile: '' },
    { key: 'http-only', value: { kind: 'literal', value: false }, profile: '' },
    {
      key: 'secure',
      value: { kind: 'env', variable: 'SECURE_COOKIES', default: true, expression: '${SECURE_COOKIES:true}' },
      profile: '',
    },
    { key: 'secure', value: { kind: 'literal', value: false }, profile: 'dev' },
  ]);
  assert.deepEqual(springValue('${X}'), { kind: 'env', variable: 'X', expression: '${X}' });
  assert.equal(springValue('a${X}b').kind, 'unknown');
});

test('Spring YAML: nested and dotted keys, a profile file, lists', () => {
  const facts = springConfigExtractor.extract(
    src(
      'config/application-prod.yaml',
      [
        'server:',
        '  servlet.session:',
        '    tracking-modes: [cookie, url]',
        '    cookie:',
        '      sameSite: strict',
        'mail:',
        '  secure: false',
      ].join('\n'),
    ),
  );
  assert.deepEqual(settings(facts), [
    { key: 'tracking-modes', value: { kind: 'literal', value: 'cookie,url' }, profile: 'prod' },
    { key: 'same-site', value: { kind: 'literal', value: 'strict' }, profile: 'prod' },
  ]);
  const line = (facts[1] as { location: { line: number } }).location.line;
  assert.equal(line, 5);
});

test('web.xml: cookie-config, tracking modes, Servlet 6 SameSite attribute, comments ignored', () => {
  const facts = webXmlExtractor.extract(
    src(
      'src/main/webapp/WEB-INF/web.xml',
      `<web-app>
  <session-config>
    <!-- <cookie-config><secure>false</secure></cookie-config> -->
    <cookie-config>
      <http-only>true</http-only>
      <secure>true</secure>
      <attribute><attribute-name>SameSite</attribute-name><attribute-value>Strict</attribute-value></attribute>
    </cookie-config>
    <tracking-mode>URL</tracking-mode>
  </session-config>
</web-app>`,
    ),
  );
  assert.deepEqual(
    settings(facts).map((s) => `${s.key}=${JSON.stringify((s.value as { value: unknown }).value)}`),
    ['http-only=true', 'secure=true', 'same-site="Strict"', 'tracking-modes="url"'],
  );
});

test('Java code: only cookies bound to a Cookie variable; setters on other objects are not cookies', () => {
  const facts = javaCodeExtractor.extract(
    src(
      'src/main/java/A.java',
      `class A {
  void f(HttpServletResponse r, Mailer mail) {
    Cookie c = new Cookie("sid", id);
    mail.setSecure(false);
    c.setSecure(flag);
    r.addCookie(c);
    r.setHeader("Set-Cookie", "pref=1; Secure; SameSite=Strict");
  }
  void g(HttpServletResponse r) {
    Cookie c = new Cookie("other", "v");
    c.setHttpOnly(true);
  }
}`,
    ),
  );
  const cookies = facts
    .filter((f) => f.type === 'other' && f.key === 'java-cookie')
    .map(
      (f) =>
        (f as { data: { name: string; options: Record<string, { kind: string; value?: unknown }> } }).data,
    );
  assert.deepEqual(
    cookies.map((c) => [
      c.name,
      Object.fromEntries(
        Object.entries(c.options).map(([k, v]) => [k, v.kind === 'literal' ? v.value : v.kind]),
      ),
    ]),
    [
      ['sid', { secure: 'unknown' }],
      ['other', { httponly: true }],
      ['pref', { secure: true, httponly: false, samesite: 'Strict' }],
    ],
  );
});

// ---------------------------------------------------------------------------------------------
// Extractors and resolver on an in-memory project

function observeJava(files: Record<string, string>): Observation[] {
  const out: FileFacts[] = Object.entries(files).map(([file, text]) => ({
    file,
    language: 'java',
    facts: javaExtractors.flatMap((ex) =>
      ex.files.some((g) => picomatch(g, { dot: true })(file)) ? ex.extract(src(file, text)) : [],
    ),
    inTestCode: false,
  }));
  const project: ProjectFacts = {
    root: '/virtual',
    files: out,
    paths: Object.keys(files).sort(),
    all: () => out.flatMap((f) => f.facts.map((fact) => ({ file: f, fact }))),
  };
  return javaResolvers.flatMap((r) => r.resolve(project));
}

test('Spring Boot from a multi-line pom whose matched line is <dependency> and whose version is a ${property} of a parent POM', () => {
  const obs = observeJava({
    'pom.xml': `<project>
  <artifactId>shop</artifactId>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-dependencies</artifactId>
        <version>\${spring-boot.version}</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
  </dependencies>
</project>
`,
    'src/main/java/shop/Cart.java': `package shop;
class Cart {
  void add(HttpServletRequest req, HttpServletResponse res) {
    req.getSession().setAttribute("cart", 1);
    Cookie c = new Cookie("last_item", "1");
    res.addCookie(c);
  }
}
`,
  });
  assert.equal(cookie(obs, 'JSESSIONID').framework, 'spring');
  assert.equal(cookie(obs, 'last_item').framework, 'spring');
});
