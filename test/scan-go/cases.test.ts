/**
 * Go `scan` case table: each case is a small Go project (files written to a temporary folder), run
 * through the whole code pipeline (collectCode: discovery, keyword filter, the common .env / manifest
 * extractors, the Go extractors and resolver) and the rules. `findings` lists every finding expected,
 * as `rule severity cookie`: an empty list is a must-not case (decoys: deletions, cookies sent to
 * another server, `Secure` fields that are not about cookies, a secure configuration).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { collectCode } from '../../src/collect/code/index.js';
import type { CookieObservation } from '../../src/model/observation.js';
import { runRules } from '../../src/rules/index.js';

interface Case {
  name: string;
  files: Record<string, string>;
  findings: string[];
  /**
   * The cookie observations expected, as sorted rows `name secure=… httpOnly=… sameSite=…` (` deletion`
   * for a deletion): what a case that expects no finding sees.
   */
  cookies?: string[];
  /** Extra checks on the cookie observations. */
  check?: (cookies: CookieObservation[]) => void;
}

function cookieRows(cookies: CookieObservation[]): string[] {
  return cookies
    .map(
      (c) =>
        `${c.name} secure=${String(c.secure.value)} httpOnly=${String(c.httpOnly.value)} sameSite=${c.sameSite.value}${c.deletion ? ' deletion' : ''}`,
    )
    .sort();
}

const HTTP = (body: string, imports = '') => `package main

import (
	"net/http"
	"os"
	"time"
${imports}
)

var _ = os.Getenv
var _ = time.Now

func handler(w http.ResponseWriter, r *http.Request) {
	token := newToken()
${body}
}

func newToken() string { return "t" }
`;

const GIN = (body: string) => `package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

var _ = http.SameSiteLaxMode

func login(c *gin.Context) {
	token := c.Query("t")
${body}
}
`;

const cases: Case[] = [
  {
    name: 'net/http: a session cookie with no attributes (zero values)',
    files: {
      'main.go': HTTP('\thttp.SetCookie(w, &http.Cookie{Name: "session_id", Value: token, Path: "/"})'),
    },
    findings: ['cookie-missing-httponly medium session_id', 'cookie-missing-secure high session_id'],
    check: ([c]) => {
      assert.equal(c!.secure.provenance.kind, 'framework-default');
      assert.equal(c!.framework, 'go');
    },
  },
  {
    name: 'net/http: the evidence hides the Value only (its text inside the name is kept)',
    files: {
      'main.go': HTTP(
        '\ts := token\n\thttp.SetCookie(w, &http.Cookie{Name: "session_id", Value: s, Secure: true, HttpOnly: true})',
      ),
    },
    findings: [],
    cookies: ['session_id secure=true httpOnly=true sameSite=unset'],
    check: ([c]) =>
      assert.equal(
        c!.snippet,
        'http.Cookie{Name: "session_id", Value: <redacted>, Secure: true, HttpOnly: true}',
      ),
  },
  {
    name: 'net/http: Secure and HttpOnly in the literal',
    files: {
      'main.go': HTTP(
        '\thttp.SetCookie(w, &http.Cookie{Name: "session_id", Value: token, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})',
      ),
    },
    findings: [],
    cookies: ['session_id secure=true httpOnly=true sameSite=lax'],
    check: ([c]) => assert.equal(c!.sameSite.value, 'lax'),
  },
  {
    name: 'net/http: later field writes on the variable decide',
    files: {
      'main.go': HTTP(
        '\tc := &http.Cookie{Name: "session_id", Value: token}\n\tc.Secure = true\n\tc.HttpOnly = true\n\thttp.SetCookie(w, c)',
      ),
    },
    findings: [],
    cookies: ['session_id secure=true httpOnly=true sameSite=unset'],
  },
  {
    name: 'net/http: a later field write that turns Secure off',
    files: {
      'main.go': HTTP(
        '\tc := http.Cookie{Name: "session_id", Value: token, Secure: true, HttpOnly: true}\n\tc.Secure = false\n\thttp.SetCookie(w, &c)',
      ),
    },
    findings: ['cookie-missing-secure high session_id'],
  },
  {
    name: 'net/http: Secure from a local constant',
    files: {
      'main.go': HTTP(
        '\tsecure := false\n\thttp.SetCookie(w, &http.Cookie{Name: "session_id", Value: token, Secure: secure, HttpOnly: true})',
      ),
    },
    findings: ['cookie-missing-secure high session_id'],
  },
  {
    name: 'net/http: deletions (MaxAge -1, Expires in the past) are not judged',
    files: {
      'main.go': HTTP(
        '\thttp.SetCookie(w, &http.Cookie{Name: "session_id", Value: "", Path: "/", MaxAge: -1})\n' +
          '\thttp.SetCookie(w, &http.Cookie{Name: "auth", Value: "", Expires: time.Unix(0, 0)})\n' +
          '\thttp.SetCookie(w, &http.Cookie{Name: "sid", Value: "", Expires: time.Now().Add(-time.Hour)})',
      ),
    },
    findings: [],
    cookies: [
      'auth secure=false httpOnly=false sameSite=unset deletion',
      'session_id secure=false httpOnly=false sameSite=unset deletion',
      'sid secure=false httpOnly=false sameSite=unset deletion',
    ],
  },
  {
    name: 'net/http: cookies added to a client request are not browser cookies',
    files: {
      'main.go': HTTP(
        '\treq, _ := http.NewRequest("GET", "https://api.example.com/", nil)\n' +
          '\treq.AddCookie(&http.Cookie{Name: "session_id", Value: token})\n' +
          '\tck := &http.Cookie{Name: "sessionid", Value: token}\n\treq.AddCookie(ck)',
      ),
    },
    findings: [],
    cookies: [],
  },
  {
    name: 'net/http: cookies collected into a slice (a jar) or built and never written are not judged',
    files: {
      'main.go': HTTP(
        '\tvar out []*http.Cookie\n' +
          '\tout = append(out, &http.Cookie{Name: "session_id", Value: token})\n' +
          '\tunused := &http.Cookie{Name: "sessionid", Value: token}\n\t_ = unused\n\t_ = out',
      ),
    },
    findings: [],
    cookies: [],
  },
  {
    name: 'net/http: a helper that returns the cookie, and a Set-Cookie header from c.String()',
    files: {
      'main.go': HTTP(
        '\tc := &http.Cookie{Name: "session_id", Value: token, HttpOnly: true}\n\tw.Header().Add("Set-Cookie", c.String())',
      ).replace(
        'func newToken()',
        'func authCookie(v string) *http.Cookie {\n\tck := &http.Cookie{Name: "auth_token", Value: v, Secure: true}\n\treturn ck\n}\n\nfunc newToken()',
      ),
    },
    findings: ['cookie-missing-httponly medium auth_token', 'cookie-missing-secure high session_id'],
  },
  {
    name: 'net/http: Secure only when APP_ENV is production (no .env): env-dependent',
    files: {
      'main.go': HTTP(
        '\thttp.SetCookie(w, &http.Cookie{Name: "session_id", Value: token, HttpOnly: true, Secure: os.Getenv("APP_ENV") == "production"})',
      ),
    },
    findings: ['cookie-secure-env-dependent medium session_id'],
    check: ([c]) =>
      assert.deepEqual(c!.secure.provenance, {
        kind: 'env-dependent',
        condition: 'os.Getenv("APP_ENV") == "production"',
        perEnvironment: { 'APP_ENV=production': true, 'variables unset': false },
      }),
  },
  {
    name: 'net/http: env-dependent resolved from .env files',
    files: {
      'main.go': HTTP(
        '\tdev := os.Getenv("APP_ENV") == "dev"\n\thttp.SetCookie(w, &http.Cookie{Name: "session_id", Value: token, HttpOnly: true, Secure: !dev})',
      ),
      '.env': 'APP_ENV=dev\n',
      '.env.production': 'APP_ENV=production\n',
    },
    findings: ['cookie-secure-env-dependent medium session_id'],
    check: ([c]) => {
      const p = c!.secure.provenance;
      assert.ok(p.kind === 'env-dependent');
      assert.deepEqual(p.perEnvironment, { default: false, production: true });
    },
  },
  {
    name: 'net/http: Secure from a config struct: unresolved, info',
    files: {
      'main.go': HTTP(
        '\thttp.SetCookie(w, &http.Cookie{Name: "session_id", Value: token, HttpOnly: true, Secure: cfg.CookieSecure})',
        '\t"example.com/app/config"',
      ).replace('func handler', 'var cfg = config.Load()\n\nfunc handler'),
    },
    findings: ['cookie-config-unresolved info session_id'],
  },
  {
    name: 'net/http: a preference cookie without Secure is low',
    files: { 'main.go': HTTP('\thttp.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark"})') },
    findings: ['cookie-missing-secure low theme'],
  },
  {
    name: 'decoys: Secure fields of a mailer and a TLS client config',
    files: {
      'mail.go': `package main

import (
	"crypto/tls"
	"net/http"
)

type Mailer struct {
	Host   string
	Secure bool
}

var mailer = Mailer{Host: "smtp.example.com", Secure: false}
var client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: false}}}
`,
    },
    findings: [],
    cookies: [],
  },
  {
    name: 'test code (_test.go) is reported at info',
    files: {
      'main_test.go': `package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestLogin(t *testing.T) {
	w := httptest.NewRecorder()
	http.SetCookie(w, &http.Cookie{Name: "session_id", Value: t.Name(), HttpOnly: true})
}
`,
    },
    findings: ['cookie-missing-secure info session_id'],
  },
  {
    name: 'gin: c.SetCookie positional, secure false',
    files: { 'main.go': GIN('\tc.SetCookie("session_id", token, 0, "/", "", false, true)') },
    findings: ['cookie-missing-secure high session_id'],
    check: ([c]) => {
      assert.equal(c!.framework, 'gin');
      assert.equal(c!.path?.value, '/');
      assert.equal(c!.snippet, 'c.SetCookie("session_id", <redacted>, 0, "/", "", false, true)');
    },
  },
  {
    name: 'gin: the evidence hides the value only (its text inside the name is kept)',
    files: { 'main.go': GIN('\tc.SetCookie("session_token", token, 0, "/", "", true, true)') },
    findings: [],
    cookies: ['session_token secure=true httpOnly=true sameSite=unset'],
    check: ([c]) =>
      assert.equal(c!.snippet, 'c.SetCookie("session_token", <redacted>, 0, "/", "", true, true)'),
  },
  {
    name: 'gin: c.SetCookie with secure and httpOnly, SameSite from c.SetSameSite',
    files: {
      'main.go': GIN(
        '\tc.SetSameSite(http.SameSiteStrictMode)\n\tc.SetCookie("session_id", token, 0, "", "", true, true)',
      ),
    },
    findings: [],
    cookies: ['session_id secure=true httpOnly=true sameSite=strict'],
    check: ([c]) => {
      assert.equal(c!.sameSite.value, 'strict');
      assert.equal(c!.path?.value, '/', 'gin writes Path=/ for an empty path');
    },
  },
  {
    name: 'gin: a deletion (maxAge -1)',
    files: { 'main.go': GIN('\tc.SetCookie("session_id", "", -1, "/", "", false, false)') },
    findings: [],
    cookies: ['session_id secure=false httpOnly=false sameSite=unset deletion'],
  },
  {
    name: 'echo: c.SetCookie(&http.Cookie{...}) without HttpOnly',
    files: {
      'main.go': `package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func login(c echo.Context) error {
	cookie := new(http.Cookie)
	ck := &http.Cookie{Name: "session_id", Value: c.QueryParam("t"), Secure: true}
	c.SetCookie(ck)
	_ = cookie
	return nil
}
`,
    },
    findings: ['cookie-missing-httponly medium session_id'],
    check: ([c]) => assert.equal(c!.framework, 'echo'),
  },
  {
    name: 'echo: new(http.Cookie) filled in field by field (echo guide)',
    files: {
      'main.go': `package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func writeCookie(c echo.Context) error {
	cookie := new(http.Cookie)
	cookie.Name = "sessionid"
	cookie.Value = c.QueryParam("t")
	cookie.HttpOnly = true
	c.SetCookie(cookie)
	return nil
}
`,
    },
    findings: ['cookie-missing-secure high sessionid'],
    check: ([c]) => assert.equal(c!.framework, 'echo'),
  },
  {
    name: 'gorilla/sessions: NewCookieStore defaults (Secure and HttpOnly off, 30 days)',
    files: {
      'go.mod': 'module example.com/app\n\ngo 1.19\n\nrequire github.com/gorilla/sessions v1.2.1\n',
      'main.go': `package main

import (
	"net/http"

	"github.com/gorilla/sessions"
)

var store = sessions.NewCookieStore([]byte("0123456789abcdef0123456789abcdef"))

func login(w http.ResponseWriter, r *http.Request) {
	s, _ := store.Get(r, "app")
	s.Values["user"] = 1
	s.Save(r, w)
}
`,
    },
    findings: [
      'cookie-missing-httponly medium app',
      'cookie-missing-secure high app',
      'session-cookie-persistent low app',
    ],
    check: ([c]) => {
      assert.equal(c!.classification.category, 'session');
      assert.deepEqual(c!.secure.provenance, {
        kind: 'framework-default',
        framework: 'gorilla/sessions',
        version: 'v1.2.1',
      });
    },
  },
  {
    name: 'gorilla/sessions: store.Options replaced with Secure and HttpOnly (MaxAge left out: a browser-session cookie)',
    files: {
      'main.go': `package main

import (
	"net/http"

	"github.com/gorilla/sessions"
)

var store = sessions.NewFilesystemStore("", []byte("0123456789abcdef0123456789abcdef"))

func init() {
	store.Options = &sessions.Options{Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode}
}

func login(w http.ResponseWriter, r *http.Request) {
	s, _ := store.Get(r, "app")
	s.Save(r, w)
}
`,
    },
    findings: [],
    cookies: ['app secure=true httpOnly=true sameSite=lax'],
    check: ([c]) => assert.deepEqual(c!.lifetime, { kind: 'session' }),
  },
  {
    name: 'gorilla/sessions: store configured in another file of the package',
    files: {
      'web/store.go': `package web

import "github.com/gorilla/sessions"

var Store = sessions.NewCookieStore([]byte("k"))
`,
      'web/setup.go': `package web

func Setup() {
	Store.Options.Secure = true
	Store.Options.HttpOnly = true
	Store.Options.MaxAge = 0
}
`,
    },
    findings: [],
    cookies: ['<gorilla/sessions session> secure=true httpOnly=true sameSite=unset'],
  },
  {
    name: 'gorilla/sessions: a session deleted with Options.MaxAge = -1 does not make the store insecure; Secure false is',
    files: {
      'main.go': `package main

import (
	"net/http"

	"github.com/gorilla/sessions"
)

var store = sessions.NewCookieStore([]byte("k"))

func init() {
	store.Options.HttpOnly = true
	store.Options.Secure = false
	store.MaxAge(0)
}

func logout(w http.ResponseWriter, r *http.Request) {
	s, _ := store.Get(r, "app")
	s.Save(r, w)
}
`,
    },
    findings: ['cookie-missing-secure high app'],
  },
  {
    name: 'gin-contrib/sessions: cookie store defaults',
    files: {
      'main.go': `package main

import (
	"github.com/gin-contrib/sessions"
	"github.com/gin-contrib/sessions/cookie"
	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	store := cookie.NewStore([]byte("secret"))
	r.Use(sessions.Sessions("mysession", store))
	r.Run()
}
`,
    },
    findings: [
      'cookie-missing-httponly medium mysession',
      'cookie-missing-secure high mysession',
      'session-cookie-persistent low mysession',
    ],
  },
  {
    name: 'gin-contrib/sessions: store.Options with Secure and HttpOnly',
    files: {
      'main.go': `package main

import (
	"github.com/gin-contrib/sessions"
	"github.com/gin-contrib/sessions/cookie"
	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	store := cookie.NewStore([]byte("secret"))
	store.Options(sessions.Options{Path: "/", Secure: true, HttpOnly: true})
	r.Use(sessions.Sessions("mysession", store))
	r.Run()
}
`,
    },
    findings: [],
    cookies: ['mysession secure=true httpOnly=true sameSite=unset'],
  },
  {
    name: 'scs: defaults (HttpOnly on, Secure off, persistent 24 h)',
    files: {
      'main.go': `package main

import "github.com/alexedwards/scs/v2"

var sessionManager *scs.SessionManager

func main() {
	sessionManager = scs.New()
}
`,
    },
    findings: ['cookie-missing-secure high session', 'session-cookie-persistent low session'],
  },
  {
    name: 'scs: Cookie.Secure true, Persist false',
    files: {
      'main.go': `package main

import "github.com/alexedwards/scs/v2"

var sessionManager *scs.SessionManager

func main() {
	sessionManager = scs.New()
	sessionManager.Cookie.Secure = true
	sessionManager.Cookie.Persist = false
	sessionManager.Cookie.Name = "app_session"
}
`,
    },
    findings: [],
    cookies: ['app_session secure=true httpOnly=true sameSite=lax'],
    check: ([c]) => assert.equal(c!.name, 'app_session'),
  },
  {
    name: 'gorilla/csrf: defaults are Secure and HttpOnly',
    files: {
      'main.go': `package main

import (
	"net/http"

	"github.com/gorilla/csrf"
)

func main() {
	CSRF := csrf.Protect([]byte("32-byte-long-auth-key-0123456789"))
	http.ListenAndServe(":8000", CSRF(http.DefaultServeMux))
}
`,
    },
    findings: [],
    cookies: ['_gorilla_csrf secure=true httpOnly=true sameSite=lax'],
    check: ([c]) => assert.equal(c!.name, '_gorilla_csrf'),
  },
  {
    name: 'gorilla/csrf: csrf.Secure(false)',
    files: {
      'main.go': `package main

import (
	"net/http"

	"github.com/gorilla/csrf"
)

func main() {
	CSRF := csrf.Protect([]byte("32-byte-long-auth-key-0123456789"), csrf.Secure(false), csrf.CookieName("xsrf"))
	http.ListenAndServe(":8000", CSRF(http.DefaultServeMux))
}
`,
    },
    findings: ['cookie-missing-secure medium xsrf'],
  },
];

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
}

for (const c of cases) {
  test(`go: ${c.name}`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'cg-go-'));
    try {
      write(root, c.files);
      const r = await collectCode([root], { workers: 0 });
      assert.deepEqual(r.errors, []);
      const findings = runRules(r.observations);
      assert.deepEqual(
        findings.map((f) => `${f.rule} ${f.severity} ${f.cookie ?? '-'}`).sort(),
        [...c.findings].sort(),
      );
      const cookies = r.observations.filter((o): o is CookieObservation => o.kind === 'cookie');
      if (c.cookies) assert.deepEqual(cookieRows(cookies), [...c.cookies].sort());
      c.check?.(cookies);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}
