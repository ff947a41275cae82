/**
 * `scan --fix` on ASP.NET Core code (issue 13): `CookieSecurePolicy.None` made `Always`, `Secure =
 * false` / `HttpOnly = false` made true (in a lambda and in a CookieOptions initialiser); a value
 * under an environment test and a framework default are left alone; after the fix the file still
 * parses with the C# grammar and a new scan no longer reports the fixed findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAs } from '../../src/collect/code/common/grammar.js';
import { runCli } from '../cli/run.js';

const PROGRAM = `var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSession(o => { o.Cookie.SecurePolicy = CookieSecurePolicy.None; o.Cookie.HttpOnly = false; });
builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.None : CookieSecurePolicy.Always);
var app = builder.Build();
app.UseHsts();
app.UseHttpsRedirection();
app.MapGet("/", (HttpContext c) => c.Response.Cookies.Append("session_token", c.TraceIdentifier, new CookieOptions { Secure = false, HttpOnly = true }));
app.MapGet("/b", (HttpContext c) => c.Response.Cookies.Append("auth_token", c.TraceIdentifier));
app.Run();
`;

test('aspnet --fix: literal None / false made Always / true; env-dependent and defaults left alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-csfix-'));
  try {
    writeFileSync(join(dir, 'Program.cs'), PROGRAM);
    const r = await runCli(['scan', dir, '--fix', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    const after = readFileSync(join(dir, 'Program.cs'), 'utf8');
    assert.match(after, /o\.Cookie\.SecurePolicy = CookieSecurePolicy\.Always; o\.Cookie\.HttpOnly = true;/);
    assert.match(after, /new CookieOptions \{ Secure = true, HttpOnly = true \}/);
    assert.match(
      after,
      /IsDevelopment\(\) \? CookieSecurePolicy\.None : CookieSecurePolicy\.Always/,
      'env-dependent kept',
    );
    assert.match(r.stderr, /not fixed: Program\.cs:8 cookie-missing-secure \(auth_token\)/);
    assert.equal(
      parseAs('csharp', after)
        .root()
        .findAll({ rule: { kind: 'ERROR' } }).length,
      0,
    );
    const again = await runCli(['scan', dir, '--format', 'json', '--fail-on', 'none']);
    const rows = (
      JSON.parse(again.stdout) as { findings: { rule: string; cookie: string | null }[] }
    ).findings
      .map((f) => `${f.rule} ${f.cookie}`)
      .sort();
    assert.deepEqual(rows, [
      'cookie-missing-httponly auth_token',
      'cookie-missing-secure auth_token',
      'cookie-secure-env-dependent .AspNetCore.Antiforgery.<hash>',
      'hsts-weak null',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
