/**
 * ASP.NET Core case table: each case is a small project (Program.cs / Startup.cs / a controller, a
 * .csproj, appsettings files) and the complete list of findings it must give (a case that must give
 * nothing lists none). Defaults come from the aspnetcore source (src/collect/code/csharp/defaults.ts):
 * there is no .NET runtime on this machine, so these tables are the check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CSPROJ_NET8, cookie, cookieRows, program, scanFiles } from './helpers.js';

interface Case {
  name: string;
  files: Record<string, string>;
  rows: string[];
  /** The cookie observations expected ({@link cookieRows}); a case that expects no finding says which cookies it sees. */
  cookies?: string[];
}

const P = 'Web/Program.cs';
const withProject = (files: Record<string, string>): Record<string, string> => ({
  'Web/Web.csproj': CSPROJ_NET8,
  ...files,
});

const CASES: Case[] = [
  // --- AddSession ---------------------------------------------------------------------------
  {
    name: 'AddSession() with no options: SecurePolicy None by default (SessionOptions)',
    files: withProject({ [P]: program('builder.Services.AddSession();') }),
    rows: ['cookie-missing-secure high .AspNetCore.Session Web/Program.cs:3'],
  },
  {
    name: 'AddSession with SecurePolicy Always: nothing',
    files: withProject({
      [P]: program(`builder.Services.AddSession(options =>
{
    options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
    options.IdleTimeout = TimeSpan.FromMinutes(30);
});`),
    }),
    rows: [],
    cookies: ['.AspNetCore.Session secure=true httpOnly=true sameSite=lax'],
  },
  {
    name: 'AddSession, expression-bodied lambda, SecurePolicy None explicit, HttpOnly false',
    files: withProject({
      [P]: program(
        `builder.Services.AddSession(o => { o.Cookie.SecurePolicy = CookieSecurePolicy.None; o.Cookie.HttpOnly = false; });`,
      ),
    }),
    rows: [
      'cookie-missing-httponly medium .AspNetCore.Session Web/Program.cs:3',
      'cookie-missing-secure high .AspNetCore.Session Web/Program.cs:3',
    ],
  },
  {
    name: 'AddSession with a custom name, SameSite None and SecurePolicy Always: nothing',
    files: withProject({
      [P]: program(`builder.Services.AddSession(o =>
{
    o.Cookie.Name = "__Host-sid";
    o.Cookie.SameSite = SameSiteMode.None;
    o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
});`),
    }),
    rows: [],
    cookies: ['__Host-sid secure=true httpOnly=true sameSite=none'],
  },
  {
    name: 'SameSite None without Secure: rejected by browsers (one finding, not also missing-secure)',
    files: withProject({
      [P]: program(`builder.Services.AddSession(o => o.Cookie.SameSite = SameSiteMode.None);`),
    }),
    rows: ['cookie-samesite-none-insecure medium .AspNetCore.Session Web/Program.cs:3'],
  },
  {
    name: 'SecurePolicy by environment (ternary on IsDevelopment): env-dependent',
    files: withProject({
      [P]: program(`builder.Services.AddSession(o =>
    o.Cookie.SecurePolicy = builder.Environment.IsDevelopment()
        ? CookieSecurePolicy.None
        : CookieSecurePolicy.Always);`),
    }),
    rows: ['cookie-secure-env-dependent medium .AspNetCore.Session Web/Program.cs:4'],
  },
  {
    name: 'SecurePolicy set under if (env.IsProduction()): not Secure in Development and Staging',
    files: withProject({
      [P]: program(`builder.Services.AddSession(o =>
{
    if (builder.Environment.IsProduction())
    {
        o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
    }
});`),
    }),
    rows: ['cookie-secure-env-dependent medium .AspNetCore.Session Web/Program.cs:7'],
  },
  {
    name: 'Configure<SessionOptions> bound from appsettings, overridden in appsettings.Production.json',
    files: withProject({
      [P]: program(`builder.Services.AddSession();
builder.Services.Configure<SessionOptions>(builder.Configuration.GetSection("Session"));`),
      'Web/appsettings.json': `{
  // development defaults
  "Session": { "Cookie": { "SecurePolicy": "None" } },
  "Smtp": { "Secure": false },
}`,
      'Web/appsettings.Production.json': `{ "Session": { "Cookie": { "SecurePolicy": "Always" } } }`,
    }),
    rows: ['cookie-secure-env-dependent medium .AspNetCore.Session Web/appsettings.Production.json:1'],
  },
  {
    name: 'options from a method group: unresolved (info), nothing else',
    files: withProject({ [P]: program('builder.Services.AddSession(ConfigureSession);') }),
    rows: ['cookie-config-unresolved info .AspNetCore.Session Web/Program.cs:3'],
  },
  {
    name: '#if DEBUG ... #else ...: the Debug build is an environment of its own (Release: Secure)',
    files: withProject({
      [P]: program(`builder.Services.AddSession(o =>
{
#if DEBUG
    o.Cookie.SecurePolicy = CookieSecurePolicy.None;
#else
    o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
#endif
});`),
    }),
    rows: ['cookie-secure-env-dependent medium .AspNetCore.Session Web/Program.cs:8'],
  },
  {
    name: 'o.Cookie = new CookieBuilder { ... } is read like o.Cookie.X = ...',
    files: withProject({
      [P]: program(`builder.Services.AddSession(o =>
{
    o.Cookie = new CookieBuilder { Name = "sid", SecurePolicy = CookieSecurePolicy.None, HttpOnly = true };
});`),
    }),
    rows: ['cookie-missing-secure high sid Web/Program.cs:5'],
  },
  // --- cookie authentication --------------------------------------------------------------------
  {
    name: 'AddCookie() defaults: SameAsRequest, no proxy trust: low proxy finding only',
    files: withProject({
      [P]: program(
        'builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();',
      ),
    }),
    rows: ['session-trust-proxy-missing low .AspNetCore.Cookies Web/Program.cs:3'],
  },
  {
    name: 'AddCookie() behind nginx in the repository: medium',
    files: withProject({
      [P]: program('builder.Services.AddAuthentication().AddCookie();'),
      'nginx.conf': 'server { listen 443 ssl; location / { proxy_pass http://127.0.0.1:5000; } }\n',
    }),
    rows: ['session-trust-proxy-missing medium .AspNetCore.Cookies Web/Program.cs:3'],
  },
  {
    name: 'AddCookie() with UseForwardedHeaders(XForwardedProto): nothing',
    files: withProject({
      [P]: program(
        'builder.Services.AddAuthentication().AddCookie("Auth", o => o.LoginPath = "/login");',
        `app.UseForwardedHeaders(new ForwardedHeadersOptions
{
    ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
});
app.UseHttpsRedirection();
app.UseHsts();`,
      ),
    }),
    rows: [],
    cookies: ['.AspNetCore.Auth secure=auto httpOnly=true sameSite=lax'],
  },
  {
    name: 'UseForwardedHeaders() with ForwardedHeaders left at None (the default) does not trust the proxy',
    files: withProject({
      [P]: program(
        'builder.Services.AddAuthentication().AddCookie();',
        'app.UseForwardedHeaders();\napp.UseHttpsRedirection();\napp.UseHsts();',
      ),
    }),
    rows: ['session-trust-proxy-missing low .AspNetCore.Cookies Web/Program.cs:3'],
  },
  {
    name: 'Configure<ForwardedHeadersOptions> with XForwardedProto + UseForwardedHeaders(): trusted',
    files: withProject({
      [P]: program(
        `builder.Services.AddAuthentication().AddCookie();
builder.Services.Configure<ForwardedHeadersOptions>(o => { o.ForwardedHeaders = ForwardedHeaders.All; });`,
        'app.UseForwardedHeaders();\napp.UseHttpsRedirection();\napp.UseHsts();',
      ),
    }),
    rows: [],
    cookies: ['.AspNetCore.Cookies secure=auto httpOnly=true sameSite=lax'],
  },
  {
    name: 'ASPNETCORE_FORWARDEDHEADERS_ENABLED=true in .env: trusted',
    files: withProject({
      [P]: program('builder.Services.AddAuthentication().AddCookie();'),
      '.env': 'ASPNETCORE_FORWARDEDHEADERS_ENABLED=true\n',
    }),
    rows: [],
    cookies: ['.AspNetCore.Cookies secure=auto httpOnly=true sameSite=lax'],
  },
  {
    name: 'AddCookie with SecurePolicy None and HttpOnly false under a named scheme',
    files: withProject({
      [P]: program(`builder.Services.AddAuthentication("Admin").AddCookie("Admin", options =>
{
    options.Cookie.SecurePolicy = CookieSecurePolicy.None;
    options.Cookie.HttpOnly = false;
});`),
    }),
    rows: [
      'cookie-missing-httponly medium .AspNetCore.Admin Web/Program.cs:6',
      'cookie-missing-secure high .AspNetCore.Admin Web/Program.cs:5',
    ],
  },
  {
    name: 'Identity: ConfigureApplicationCookie Always: nothing',
    files: withProject({
      [P]: program(`builder.Services.AddDefaultIdentity<IdentityUser>();
builder.Services.ConfigureApplicationCookie(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);`),
    }),
    rows: [],
    cookies: ['.AspNetCore.Identity.Application secure=true httpOnly=true sameSite=lax'],
  },
  {
    name: 'Identity: ConfigureApplicationCookie None',
    files: withProject({
      [P]: program(`builder.Services.AddIdentity<AppUser, IdentityRole>();
builder.Services.ConfigureApplicationCookie(o => o.Cookie.SecurePolicy = CookieSecurePolicy.None);`),
    }),
    rows: ['cookie-missing-secure high .AspNetCore.Identity.Application Web/Program.cs:4'],
  },
  {
    name: 'Configure<CookieAuthenticationOptions> without a scheme name configures no scheme (Options.DefaultName)',
    files: withProject({
      [P]: program(`builder.Services.AddAuthentication().AddCookie(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);
builder.Services.Configure<CookieAuthenticationOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.None);`),
    }),
    rows: [],
    cookies: ['.AspNetCore.Cookies secure=true httpOnly=true sameSite=lax'],
  },
  {
    name: 'Configure<CookieAuthenticationOptions>(scheme, ...) applies to that scheme',
    files: withProject({
      [P]: program(`builder.Services.AddAuthentication().AddCookie(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);
builder.Services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o => o.Cookie.SecurePolicy = CookieSecurePolicy.None);`),
    }),
    rows: ['cookie-missing-secure high .AspNetCore.Cookies Web/Program.cs:4'],
  },
  {
    name: 'o.Cookie = new CookieBuilder { Name = ... } replaces the builder: HttpOnly set before it is lost (seen in eShopOnWeb)',
    files: withProject({
      [P]: program(`builder.Services.AddDefaultIdentity<IdentityUser>();
builder.Services.ConfigureApplicationCookie(options =>
{
    options.Cookie.HttpOnly = true;
    options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
    options.Cookie = new CookieBuilder
    {
        Name = CookieNames.Identity,
        IsEssential = true
    };
});`),
      'Web/CookieNames.cs':
        'public static class CookieNames { public const string Identity = "AppIdentity"; }',
    }),
    rows: [
      'cookie-missing-httponly medium AppIdentity Web/Program.cs:8',
      'session-trust-proxy-missing low AppIdentity Web/Program.cs:8',
    ],
  },
  {
    name: 'a scheme named by a constant of the project (AddCookie(Schemes.Admin, ...))',
    files: withProject({
      [P]: program(
        `builder.Services.AddAuthentication(Schemes.Admin).AddCookie(Schemes.Admin, o => o.Cookie.SecurePolicy = CookieSecurePolicy.None);`,
      ),
      'Web/Schemes.cs': 'static class Schemes { public const string Admin = "AdminCookie"; }',
    }),
    rows: ['cookie-missing-secure high .AspNetCore.AdminCookie Web/Program.cs:3'],
  },
  // --- antiforgery ---------------------------------------------------------------------------
  {
    name: 'AddAntiforgery with SecurePolicy Always: nothing',
    files: withProject({
      [P]: program(
        'builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);',
      ),
    }),
    rows: [],
    cookies: ['.AspNetCore.Antiforgery.<hash> secure=true httpOnly=true sameSite=strict'],
  },
  {
    name: 'AddAntiforgery defaults: SecurePolicy None (a CSRF cookie: medium)',
    files: withProject({
      [P]: program('builder.Services.AddAntiforgery(o => o.HeaderName = "X-CSRF-TOKEN");'),
    }),
    rows: ['cookie-missing-secure medium .AspNetCore.Antiforgery.<hash> Web/Program.cs:3'],
  },
  // --- cookie policy --------------------------------------------------------------------------
  {
    name: 'UseCookiePolicy(Secure = Always) makes the session cookie Secure',
    files: withProject({
      [P]: program(
        'builder.Services.AddSession();',
        'app.UseCookiePolicy(new CookiePolicyOptions { Secure = CookieSecurePolicy.Always, HttpOnly = HttpOnlyPolicy.Always });\napp.UseHttpsRedirection();\napp.UseHsts();',
      ),
    }),
    rows: [],
    cookies: ['.AspNetCore.Session secure=true httpOnly=true sameSite=lax'],
  },
  {
    name: 'Configure<CookiePolicyOptions> without UseCookiePolicy does nothing',
    files: withProject({
      [P]: program(`builder.Services.AddSession();
builder.Services.Configure<CookiePolicyOptions>(o => o.Secure = CookieSecurePolicy.Always);`),
    }),
    rows: ['cookie-missing-secure high .AspNetCore.Session Web/Program.cs:3'],
  },
  {
    name: 'Configure<CookiePolicyOptions> MinimumSameSitePolicy Strict raises SameSite=None',
    files: withProject({
      [P]: program(
        `builder.Services.AddSession(o => { o.Cookie.SameSite = SameSiteMode.None; o.Cookie.SecurePolicy = CookieSecurePolicy.Always; });
builder.Services.Configure<CookiePolicyOptions>(o => { o.MinimumSameSitePolicy = SameSiteMode.Strict; o.CheckConsentNeeded = context => true; });`,
        'app.UseCookiePolicy();\napp.UseHttpsRedirection();\napp.UseHsts();',
      ),
    }),
    rows: [],
    // SameSite=None in the options, raised to Strict by the policy.
    cookies: ['.AspNetCore.Session secure=true httpOnly=true sameSite=strict'],
  },
  // --- Response.Cookies.Append ---------------------------------------------------------------
  {
    name: 'Append without options: CookieOptions defaults (no Secure, no HttpOnly); deletions and Delete ignored',
    files: withProject({
      [P]: program(''),
      'Web/Controllers/AccountController.cs': `public class AccountController : Controller
{
    public IActionResult Login(string token)
    {
        Response.Cookies.Append("auth_token", token);
        Response.Cookies.Append("theme", "dark", new CookieOptions { Secure = true });
        Response.Cookies.Append("auth_token", "", new CookieOptions { Expires = DateTimeOffset.UtcNow.AddDays(-1) });
        Response.Cookies.Delete("legacy_session");
        return Ok();
    }
}
`,
    }),
    rows: [
      'cookie-missing-httponly medium auth_token Web/Controllers/AccountController.cs:5',
      'cookie-missing-secure high auth_token Web/Controllers/AccountController.cs:5',
    ],
  },
  {
    name: 'Append with a local CookieOptions and later writes before the call',
    files: withProject({
      [P]: program(''),
      'Web/Controllers/SessionController.cs': `public class SessionController : Controller
{
    public IActionResult Start(string sid)
    {
        var opts = new CookieOptions { HttpOnly = true };
        opts.Secure = false;
        opts.SameSite = SameSiteMode.Lax;
        HttpContext.Response.Cookies.Append("sessionid", sid, opts);
        var good = new CookieOptions();
        good.Secure = true;
        good.HttpOnly = true;
        Response.Cookies.Append("sid2", sid, good);
        return Ok();
    }
}
`,
    }),
    rows: ['cookie-missing-secure high sessionid Web/Controllers/SessionController.cs:6'],
  },
  {
    name: 'Append with options from elsewhere: unresolved (info)',
    files: withProject({
      [P]: program(''),
      'Web/Auth.cs': `static class Auth { public static void Set(HttpResponse r, string v) { r.Cookies.Append("session_token", v, CookieDefaults.Options); } }`,
    }),
    rows: ['cookie-config-unresolved info session_token Web/Auth.cs:1'],
  },
  {
    name: 'Append with Secure = Request.IsHttps follows the request: proxy trust needed',
    files: withProject({
      [P]: program(''),
      'Web/Login.cs': `public class Login : Controller { public void M(string t) { Response.Cookies.Append("session_token", t, new CookieOptions { HttpOnly = true, Secure = Request.IsHttps }); } }`,
    }),
    rows: ['session-trust-proxy-missing low session_token Web/Login.cs:1'],
  },
  // --- transport ------------------------------------------------------------------------------
  {
    name: 'No UseHsts, no UseHttpsRedirection in an app with a session: hsts-missing and https-not-enforced',
    files: withProject({
      [P]: 'var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddSession(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);\nvar app = builder.Build();\napp.Run();\n',
    }),
    rows: ['hsts-missing low - Web/Program.cs:1', 'https-not-enforced low - Web/Program.cs:1'],
  },
  {
    name: 'No UseHsts, no UseHttpsRedirection in an app that sets no cookie (an API, a worker): nothing',
    files: withProject({
      [P]: 'var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.MapGet("/", () => "ok");\napp.Run();\n',
    }),
    rows: [],
    cookies: [],
  },
  {
    name: "UseHsts with the default 30-day max-age: hsts-weak; the template's !IsDevelopment() guard counts for Production",
    files: withProject({
      [P]: `var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
    app.UseHsts();
}
app.UseHttpsRedirection();
app.Run();
`,
    }),
    rows: ['hsts-weak low - Web/Program.cs:6'],
  },
  {
    name: 'Startup.cs (ASP.NET Core 3.1): ConfigureServices + Configure(IApplicationBuilder)',
    files: {
      'Web/Web.csproj': CSPROJ_NET8.replace('net8.0', 'netcoreapp3.1'),
      'Web/Startup.cs': `public class Startup
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSession(options => options.Cookie.HttpOnly = true);
        services.AddHsts(options => { options.MaxAge = TimeSpan.FromDays(365); options.IncludeSubDomains = true; });
    }
    public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
    {
        if (env.IsDevelopment()) { app.UseDeveloperExceptionPage(); }
        else { app.UseHsts(); }
        app.UseHttpsRedirection();
        app.UseSession();
    }
}
`,
    },
    rows: ['cookie-missing-secure high .AspNetCore.Session Web/Startup.cs:5'],
  },
  // --- decoys ---------------------------------------------------------------------------------
  {
    name: 'decoys: SMTP EnableSsl, database SslMode, JwtBearer RequireHttpsMetadata, strings and comments',
    files: withProject({
      [P]: program(`// options.Cookie.SecurePolicy = CookieSecurePolicy.None;  (old)
var smtp = new SmtpClient("mail") { EnableSsl = false };
var csb = new NpgsqlConnectionStringBuilder { SslMode = SslMode.Disable, Secure = false };
builder.Services.AddAuthentication().AddJwtBearer(o => { o.RequireHttpsMetadata = false; });
var doc = "Response.Cookies.Append(\\"x\\", v) is how cookies are set";`),
    }),
    rows: [],
    cookies: [],
  },
  {
    name: 'test code: findings at info (MyApp.Tests project, *Tests.cs)',
    files: {
      ...withProject({
        [P]: program('builder.Services.AddSession(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);'),
      }),
      'Web.Tests/Web.Tests.csproj': CSPROJ_NET8.replace('.Web"', '"'),
      'Web.Tests/SessionTests.cs': `public class SessionTests { void Setup(IServiceCollection s) { s.AddSession(o => o.Cookie.SecurePolicy = CookieSecurePolicy.None); } }`,
    },
    rows: ['cookie-missing-secure info .AspNetCore.Session Web.Tests/SessionTests.cs:1'],
  },
];

for (const c of CASES) {
  test(`aspnet core: ${c.name}`, async () => {
    const { rows, observations } = await scanFiles(c.files);
    assert.deepEqual(rows, [...c.rows].sort());
    if (c.cookies) assert.deepEqual(cookieRows(observations), [...c.cookies].sort());
  });
}

test('aspnet core: provenance, per-environment values and the version from the .csproj', async () => {
  const { observations } = await scanFiles(
    withProject({
      [P]: program(`builder.Services.AddSession(o =>
    o.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);
builder.Services.AddAuthentication().AddCookie();`),
    }),
  );
  const s = cookie(observations, '.AspNetCore.Session');
  assert.equal(s.secure.value, true);
  assert.equal(s.secure.provenance.kind, 'env-dependent');
  if (s.secure.provenance.kind === 'env-dependent')
    assert.deepEqual(s.secure.provenance.perEnvironment, {
      Development: 'auto',
      Staging: true,
      Production: true,
    });
  assert.equal(s.httpOnly.value, true);
  assert.deepEqual(s.httpOnly.provenance, {
    kind: 'framework-default',
    framework: 'ASP.NET Core',
    version: 'ASP.NET Core (net8.0)',
  });
  assert.equal(s.sameSite.value, 'lax');
  assert.equal(s.framework, 'aspnet');
  const a = cookie(observations, '.AspNetCore.Cookies');
  assert.equal(a.secure.value, 'auto');
  assert.equal(a.classification.category, 'session');
});

test('aspnet core: CookieOptions SameSite default is Lax before 3.0 and unset after (version from the .csproj)', async () => {
  const controller = `public class C : Controller { public void M() { Response.Cookies.Append("pref", "1"); } }`;
  const old = await scanFiles({
    'Web/Web.csproj': CSPROJ_NET8.replace('net8.0', 'netcoreapp2.1'),
    'Web/C.cs': controller,
  });
  assert.equal(cookie(old.observations, 'pref').sameSite.value, 'lax');
  const now = await scanFiles({ 'Web/Web.csproj': CSPROJ_NET8, 'Web/C.cs': controller });
  assert.equal(cookie(now.observations, 'pref').sameSite.value, 'unset');
});

test('aspnet core: the evidence of Response.Cookies.Append hides the value, not the name', async () => {
  const { observations } = await scanFiles(
    withProject({
      [P]: program(''),
      'Web/C.cs': `public class C : Controller { public void M(string sid) {
    Response.Cookies.Append("session_id", "session", new CookieOptions { Secure = true, HttpOnly = true });
    Response.Cookies.Append("sid", sid);
} }`,
    }),
  );
  assert.equal(
    cookie(observations, 'session_id').snippet,
    'Response.Cookies.Append("session_id", <redacted>, new CookieOptions { Secure = true, HttpOnly = true })',
  );
  assert.equal(cookie(observations, 'sid').snippet, 'Response.Cookies.Append("sid", <redacted>)');
});

test('aspnet core: SameSite set under a condition the scanner cannot decide says why, like HttpOnly', async () => {
  const { observations } = await scanFiles(
    withProject({
      [P]: program(`builder.Services.AddSession(o =>
{
    o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
    if (Flags.Strict) { o.Cookie.SameSite = SameSiteMode.Strict; o.Cookie.HttpOnly = false; }
});`),
    }),
  );
  const s = cookie(observations, '.AspNetCore.Session');
  assert.equal(s.httpOnly.value, 'unknown');
  assert.equal(s.sameSite.value, 'unknown');
  assert.equal(s.httpOnly.provenance.kind, 'unknown');
  assert.match(s.httpOnly.provenance.kind === 'unknown' ? s.httpOnly.provenance.reason : '', /Flags\.Strict/);
  assert.deepEqual(s.sameSite.provenance, s.httpOnly.provenance);
});
