/**
 * Helpers for the ASP.NET case tables: write a small project to a temporary folder, run the real
 * engine on it (collectCode: discovery, keyword filter, the extractors, the resolvers) and the real
 * rules, and give every finding as one row `rule severity cookie file:line`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectCode } from '../../src/collect/code/index.js';
import type { Finding } from '../../src/model/finding.js';
import type { CookieObservation, Observation } from '../../src/model/observation.js';
import { runRules } from '../../src/rules/index.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/csharp/', import.meta.url));

export function row(f: Finding): string {
  return `${f.rule} ${f.severity} ${f.cookie ?? '-'} ${f.location ? `${f.location.file}:${f.location.line}` : '-'}`;
}

export interface Scan {
  findings: Finding[];
  observations: Observation[];
  rows: string[];
}

/** Scans a folder. */
export async function scanDir(dir: string): Promise<Scan> {
  const r = await collectCode([dir], { workers: 0 });
  assert.deepEqual(r.errors, []);
  const findings = runRules(r.observations);
  return { findings, observations: r.observations, rows: findings.map(row).sort() };
}

/** Scans files given as path → text, written as given (no .csproj is added: a case gives its own). */
export async function scanFiles(files: Record<string, string>): Promise<Scan> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-csharp-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      const abs = join(dir, path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
    return await scanDir(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const CSPROJ_NET8 = `<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
  </PropertyGroup>
</Project>
`;

/** A minimal Program.cs around `body` (services before Build, pipeline after). */
export function program(services: string, pipeline = 'app.UseHttpsRedirection();\napp.UseHsts();'): string {
  return `var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
${services}
var app = builder.Build();
${pipeline}
app.Run();
`;
}

export function cookie(obs: Observation[], name: string): CookieObservation {
  const c = obs.find((o): o is CookieObservation => o.kind === 'cookie' && o.name === name);
  assert.ok(c, `cookie ${name} among ${obs.map((o) => (o.kind === 'cookie' ? o.name : o.kind)).join(', ')}`);
  return c;
}

/**
 * The cookie observations as sorted rows `name secure=… httpOnly=… sameSite=…` (` deletion` for a
 * deletion): what a case that expects no finding expects to be seen.
 */
export function cookieRows(obs: Observation[]): string[] {
  return obs
    .filter((o): o is CookieObservation => o.kind === 'cookie')
    .map(
      (c) =>
        `${c.name} secure=${String(c.secure.value)} httpOnly=${String(c.httpOnly.value)} sameSite=${c.sameSite.value}${c.deletion ? ' deletion' : ''}`,
    )
    .sort();
}
