/**
 * Classic ASP.NET (System.Web) case table: web.config `<httpCookies>`, `<forms>`, `<sessionState>`
 * and web.{Configuration}.config XDT transforms. Defaults from Microsoft's documentation of those
 * elements (src/collect/code/csharp/defaults.ts); no .NET Framework runtime here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookie, cookieRows, scanFiles } from './helpers.js';

const config = (systemWeb: string, extra = ''): string => `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <system.web>
    <compilation debug="true" targetFramework="4.8" />
${systemWeb}
  </system.web>
${extra}
</configuration>
`;

const release = (systemWeb: string): string => `<?xml version="1.0" encoding="utf-8"?>
<configuration xmlns:xdt="http://schemas.microsoft.com/XML-Document-Transform">
  <system.web>
    <compilation xdt:Transform="RemoveAttributes(debug)" />
${systemWeb}
  </system.web>
</configuration>
`;

interface Case {
  name: string;
  files: Record<string, string>;
  rows: string[];
  /** The cookie observations expected (helpers.ts `cookieRows`). */
  cookies?: string[];
}

const CASES: Case[] = [
  {
    name: 'httpCookies requireSSL="false": the session cookie is sent over HTTP',
    files: { 'Web.config': config('    <httpCookies requireSSL="false" httpOnlyCookies="true" />') },
    rows: ['cookie-missing-secure high ASP.NET_SessionId Web.config:5'],
  },
  {
    name: 'httpCookies requireSSL="true": nothing',
    files: { 'Web.config': config('    <httpCookies requireSSL="true" httpOnlyCookies="true" />') },
    rows: [],
    cookies: ['ASP.NET_SessionId secure=true httpOnly=true sameSite=unknown'],
  },
  {
    name: 'sessionState without httpCookies: requireSSL defaults to false; a custom cookie name',
    files: {
      'Web.config': config('    <sessionState mode="InProc" cookieName="AppSession" timeout="20" />'),
    },
    rows: ['cookie-missing-secure high AppSession Web.config:5'],
  },
  {
    name: 'sessionState mode="Off": no session cookie',
    files: { 'Web.config': config('    <sessionState mode="Off" />') },
    rows: [],
    cookies: [],
  },
  {
    name: 'sessionState cookieless="UseUri": the session id in URLs (and no cookie)',
    files: { 'Web.config': config('    <sessionState cookieless="UseUri" />') },
    rows: ['session-id-in-url medium ASP.NET_SessionId Web.config:5'],
  },
  {
    name: 'sessionState cookieless="AutoDetect": URLs for clients without cookies',
    files: {
      'Web.config': config(
        '    <httpCookies requireSSL="true" />\n    <sessionState cookieless="AutoDetect" />',
      ),
    },
    rows: ['session-id-in-url medium ASP.NET_SessionId Web.config:6'],
  },
  {
    name: 'forms authentication without requireSSL: the ticket is not Secure (httpCookies does not apply to it)',
    files: {
      'Web.config': config(`    <httpCookies requireSSL="true" />
    <authentication mode="Forms">
      <forms loginUrl="~/Account/Login" timeout="2880" />
    </authentication>`),
    },
    rows: ['cookie-missing-secure high .ASPXAUTH Web.config:6'],
  },
  {
    name: 'forms requireSSL="true" with a custom name: nothing',
    files: {
      'Web.config': config(`    <httpCookies requireSSL="true" />
    <authentication mode="Forms">
      <forms name="AppAuth" requireSSL="true" />
    </authentication>`),
    },
    rows: [],
    cookies: [
      'ASP.NET_SessionId secure=true httpOnly=true sameSite=unknown',
      'AppAuth secure=true httpOnly=true sameSite=unknown',
    ],
  },
  {
    name: 'forms cookieless="UseUri": the ticket in URLs',
    files: {
      'Web.config': config(`    <authentication mode="Forms">
      <forms requireSSL="true" cookieless="UseUri" />
    </authentication>`),
    },
    rows: ['session-id-in-url medium .ASPXAUTH Web.config:6'],
  },
  {
    name: 'web.Release.config turns requireSSL on: env-dependent (Secure in the Release build only)',
    files: {
      'Web.config': config('    <httpCookies requireSSL="false" />'),
      'Web.Release.config': release(
        '    <httpCookies requireSSL="true" xdt:Transform="SetAttributes(requireSSL)" />',
      ),
    },
    rows: ['cookie-secure-env-dependent medium ASP.NET_SessionId Web.Release.config:5'],
  },
  {
    name: 'web.Release.config with Replace in both Debug and Release transforms: Secure in both: nothing',
    files: {
      'Web.config': config('    <httpCookies requireSSL="false" />'),
      'Web.Debug.config': release('    <httpCookies requireSSL="true" xdt:Transform="Replace" />'),
      'Web.Release.config': release('    <httpCookies requireSSL="true" xdt:Transform="Replace" />'),
    },
    rows: [],
    cookies: ['ASP.NET_SessionId secure=true httpOnly=true sameSite=unknown'],
  },
  {
    name: 'a transform that sets other attributes leaves requireSSL as web.config has it',
    files: {
      'Web.config': config('    <httpCookies requireSSL="false" />'),
      'Web.Release.config': release(
        '    <httpCookies requireSSL="true" httpOnlyCookies="true" xdt:Transform="SetAttributes(httpOnlyCookies)" />',
      ),
    },
    rows: ['cookie-missing-secure high ASP.NET_SessionId Web.config:5'],
  },
  {
    name: 'decoys: SMTP enableSsl, appSettings RequireSSL, an ASP.NET Core hosting web.config, malformed XML',
    files: {
      'Web.config': config(
        '    <customErrors mode="RemoteOnly" />',
        `  <appSettings><add key="RequireSSL" value="false" /></appSettings>
  <system.net><mailSettings><smtp><network host="mail" enableSsl="false" /></smtp></mailSettings></system.net>`,
      ),
      'Core/web.config': `<configuration><system.webServer><aspNetCore processPath="dotnet" arguments=".\\App.dll" hostingModel="inprocess" /></system.webServer></configuration>`,
      'Broken/web.config': '<configuration><system.web><httpCookies requireSSL="false"></configuration>',
    },
    rows: [],
    cookies: [],
  },
  {
    name: 'test code: a web.config under tests/ is reported at info',
    files: { 'tests/Fixture/Web.config': config('    <httpCookies requireSSL="false" />') },
    rows: ['cookie-missing-secure info ASP.NET_SessionId tests/Fixture/Web.config:5'],
  },
];

for (const c of CASES) {
  test(`aspnet classic: ${c.name}`, async () => {
    const { rows, observations } = await scanFiles(c.files);
    assert.deepEqual(rows, [...c.rows].sort());
    if (c.cookies) assert.deepEqual(cookieRows(observations), [...c.cookies].sort());
  });
}

test('aspnet classic: per-build values and provenance', async () => {
  const { observations } = await scanFiles({
    'Web.config': config('    <httpCookies requireSSL="false" />'),
    'Web.Release.config': release(
      '    <httpCookies requireSSL="true" xdt:Transform="SetAttributes(requireSSL)" />',
    ),
  });
  const s = cookie(observations, 'ASP.NET_SessionId');
  assert.equal(s.secure.value, true, 'the Release build is what is published');
  assert.equal(s.secure.provenance.kind, 'env-dependent');
  if (s.secure.provenance.kind === 'env-dependent')
    assert.deepEqual(s.secure.provenance.perEnvironment, { 'web.config': false, 'web.Release.config': true });
  assert.equal(s.httpOnly.value, true, 'the session cookie is always HttpOnly');
  assert.equal(s.httpOnly.provenance.kind, 'framework-default');
});
