/**
 * `npm run bench -- scan`: the speed and memory of `cookieguard scan` on a generated 30,000-file
 * tree in every language the scanner reads (PHP, Python, JavaScript/TypeScript, Java, Go, Ruby, C#),
 * against two baselines measured in the same run on the same tree:
 *
 * - `rg -l -i -e cookie -e session`: the floor for reading every file and matching keywords;
 * - `ast-grep run -p 'session($A)' -l js`: a native parser going through every JavaScript file.
 *
 * Targets: scan <= 6x ripgrep, <= 1.0x ast-grep, peak memory (VmHWM of the scanning process, worker
 * threads included) < 300 MB, findings identical to a single-threaded run, and every insecure
 * session setting planted in the tree's apps reported in its own file (both asserted: the benchmark
 * fails otherwise). Every command runs in a child process, timed from spawn to exit, and
 * the runs are interleaved so that the machine's load weighs on all of them alike.
 *
 * The tree is generated once (deterministically) and kept under .bench-tmp/ (gitignored).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../test/helpers/random.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TREE_VERSION = 6;
const TREE = join(REPO, '.bench-tmp', `scan-tree-v${TREE_VERSION}`);
const FILES = 30_000;
const RUNS = Number(process.env.SCAN_BENCH_RUNS ?? 3);

// ---------------------------------------------------------------------------------------------
// The child: one scan, reported as JSON on stdout.

interface ChildReport {
  ms: number;
  vmHwmKb: number;
  /** `cookie file` of every high or medium finding about a missing Secure. */
  found: string[];
  findings: number;
  observations: number;
  errors: number;
  factFiles: number;
  digest: string;
  stats: Record<string, number>;
}

async function child(dir: string, workers: number): Promise<void> {
  const t0 = performance.now();
  const { collectCode } = await import('../src/collect/code/index.js');
  const { runRules } = await import('../src/rules/index.js');
  const r = await collectCode([dir], { workers });
  const findings = runRules(r.observations);
  const ms = performance.now() - t0;
  const status = readFileSync('/proc/self/status', 'utf8');
  const vmHwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const everything = JSON.stringify({
    findings,
    observations: r.observations,
    facts: r.facts.files,
    errors: r.errors,
  });
  const digest = createHash('sha256').update(everything).digest('hex');
  // To see how two runs differ: SCAN_BENCH_DUMP=dir keeps each run's output there.
  if (process.env.SCAN_BENCH_DUMP) {
    mkdirSync(process.env.SCAN_BENCH_DUMP, { recursive: true });
    writeFileSync(
      join(process.env.SCAN_BENCH_DUMP, `scan-w${workers}-${digest.slice(0, 12)}.json`),
      everything,
    );
  }
  const secureRules = new Set(['cookie-missing-secure', 'cookie-samesite-none-insecure']);
  const found = [
    ...new Set(
      findings
        .filter(
          (f) => f.location && secureRules.has(f.rule) && (f.severity === 'high' || f.severity === 'medium'),
        )
        .map((f) => `${f.cookie ?? '-'} ${f.location!.file}`),
    ),
  ];
  const report: ChildReport = {
    ms,
    vmHwmKb,
    found,
    findings: findings.length,
    observations: r.observations.length,
    errors: r.errors.length,
    factFiles: r.facts.files.length,
    digest,
    stats: r.stats as unknown as Record<string, number>,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

// ---------------------------------------------------------------------------------------------
// The tree: deterministic pseudo-random content.

const rand = seededRandom(20261126);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const NOUNS = [
  'order',
  'invoice',
  'customer',
  'product',
  'cart',
  'payment',
  'report',
  'account',
  'message',
  'ticket',
  'shipment',
  'review',
  'category',
  'coupon',
  'address',
  'profile',
  'team',
  'project',
  'task',
  'comment',
];
const VERBS = [
  'load',
  'save',
  'update',
  'remove',
  'find',
  'list',
  'validate',
  'format',
  'build',
  'sync',
  'export',
  'import',
  'render',
  'compute',
  'notify',
];
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
const ident = () => `${pick(VERBS)}${cap(pick(NOUNS))}${Math.floor(rand() * 90) + 10}`;

/** Sizes from 1 to 20 KB, more small files than large ones (log-uniform). */
function targetSize(): number {
  return Math.round(Math.exp(Math.log(1024) + rand() * (Math.log(20 * 1024) - Math.log(1024))));
}

function fill(header: string, footer: string, unit: () => string, size: number): string {
  mentionNext = rand() < 1 / 16;
  const parts = [header];
  let len = header.length + footer.length;
  while (len < size) {
    const u = unit();
    parts.push(u);
    len += u.length;
  }
  parts.push(footer);
  return parts.join('');
}

/**
 * Ordinary code mentions sessions now and then without configuring cookies (db.session, a comment):
 * about one file in 16 (decided per file, by `mentionNext`).
 */
let mentionNext = false;
function maybeMention(lang: 'php' | 'py' | 'js' | 'java' | 'go' | 'rb' | 'cs'): string {
  if (!mentionNext) return '';
  mentionNext = false;
  if (lang === 'java')
    return pick([
      '        // the session is kept by the gateway\n',
      '        Session session = factory.openSession();\n',
    ]);
  if (lang === 'go')
    return pick(['\t// cookie consent is handled by the front end\n', '\tsess := db.Session(ctx)\n']);
  if (lang === 'rb')
    return pick(['    # session timeouts are set by the admin\n', '    flash[:notice] = "saved"\n']);
  if (lang === 'cs')
    return pick([
      '            // session state lives in Redis\n',
      '            var session = _store.Session;\n',
    ]);
  if (lang === 'py')
    return pick([
      '        db.session.commit()\n',
      '        # keep the session short\n',
      '        cookie_jar = None\n',
    ]);
  if (lang === 'php')
    return pick([
      "        $request->session()->flash('status', 'saved');\n",
      '        // the cookie banner is handled in the view\n',
    ]);
  return pick([
    '  // session handling lives in the api gateway\n',
    '  const { data: session } = useSession();\n',
    "  document.title = 'cookie policy';\n",
  ]);
}

function phpFile(): string {
  const name = cap(pick(NOUNS));
  return fill(
    `<?php\n\nnamespace App\\Http\\Controllers;\n\nuse Illuminate\\Http\\Request;\nuse App\\Models\\${name};\n\nclass ${name}Controller extends Controller\n{\n`,
    '}\n',
    () =>
      `    public function ${ident()}(Request $request, int $id)\n    {\n        $item = ${name}::query()->where('id', $id)->where('status', '${pick(['active', 'draft', 'archived'])}')->firstOrFail();\n        $total = 0;\n        foreach ($item->lines as $line) {\n            $total += $line->quantity * $line->price;\n        }\n${maybeMention('php')}        return response()->json(['id' => $item->id, 'total' => $total, 'label' => sprintf('%s #%d', '${name}', $id)]);\n    }\n\n`,
    targetSize(),
  );
}

function pyFile(): string {
  const name = cap(pick(NOUNS));
  return fill(
    `from dataclasses import dataclass\nfrom typing import Optional\n\nfrom .models import ${name}\n\n\n@dataclass\nclass ${name}Row:\n    id: int\n    label: str\n    total: float = 0.0\n\n\n`,
    '',
    () =>
      `def ${ident().replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())}(rows: list, limit: Optional[int] = None) -> list:\n    out = []\n    for row in rows[:limit]:\n        if row.total > ${Math.floor(rand() * 1000)}:\n            out.append(${name}Row(id=row.id, label=row.label.strip(), total=round(row.total, 2)))\n${maybeMention('py')}    return sorted(out, key=lambda r: r.total)\n\n\n`,
    targetSize(),
  );
}

function jsFile(ts: boolean): string {
  const name = cap(pick(NOUNS));
  const t = (s: string) => (ts ? s : '');
  return fill(
    `${ts ? `import type { ${name} } from './types';\n` : `'use strict';\n`}import { format } from './format${ts ? '' : '.js'}';\n\n`,
    '',
    () =>
      `export function ${ident()}(items${t(`: ${name}[]`)}, limit${t(': number')} = 20)${t(`: ${name}[]`)} {\n  const out = [];\n  for (const item of items.slice(0, limit)) {\n    if (item.total > ${Math.floor(rand() * 1000)}) out.push({ ...item, label: format(item.label) });\n  }\n${maybeMention('js')}  return out.sort((a, b) => a.total - b.total);\n}\n\n`,
    targetSize(),
  );
}

function tsxFile(): string {
  const name = cap(pick(NOUNS));
  return fill(
    `import React, { useState } from 'react';\n\nexport interface ${name}Props {\n  id: number;\n  title: string;\n}\n\n`,
    '',
    () =>
      `export function ${cap(ident())}({ id, title }: ${name}Props) {\n  const [open, setOpen] = useState(false);\n${maybeMention('js')}  return (\n    <section className="${pick(NOUNS)}-panel" data-id={id}>\n      <h2 onClick={() => setOpen(!open)}>{title}</h2>\n      {open && <p>${pick(NOUNS)} details for {title}</p>}\n    </section>\n  );\n}\n\n`,
    targetSize(),
  );
}

function javaFile(): string {
  const name = cap(pick(NOUNS));
  return fill(
    `package com.example.${pick(NOUNS)};\n\nimport java.util.ArrayList;\nimport java.util.List;\n\npublic class ${name}Service {\n`,
    '}\n',
    () =>
      `    public List<${name}> ${ident()}(List<${name}> items, int limit) {\n        List<${name}> out = new ArrayList<>();\n        for (${name} item : items.subList(0, Math.min(limit, items.size()))) {\n            if (item.getTotal() > ${Math.floor(rand() * 1000)}) out.add(item);\n        }\n${maybeMention('java')}        return out;\n    }\n\n`,
    targetSize(),
  );
}

function goFile(): string {
  const name = cap(pick(NOUNS));
  return fill(
    `package ${pick(NOUNS)}\n\nimport (\n\t"context"\n\t"sort"\n)\n\ntype ${name} struct {\n\tID    int\n\tTotal float64\n}\n\n`,
    '',
    () =>
      `func ${cap(ident())}(ctx context.Context, items []${name}, limit int) []${name} {\n\tout := make([]${name}, 0, limit)\n\tfor _, it := range items {\n\t\tif it.Total > ${Math.floor(rand() * 1000)} {\n\t\t\tout = append(out, it)\n\t\t}\n\t}\n${maybeMention('go')}\tsort.Slice(out, func(i, j int) bool { return out[i].Total < out[j].Total })\n\treturn out\n}\n\n`,
    targetSize(),
  );
}

function rbFile(): string {
  const name = cap(pick(NOUNS));
  return fill(
    `class ${name}sController < ApplicationController\n  before_action :authenticate_user!\n\n`,
    'end\n',
    () =>
      `  def ${ident().replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())}\n    @items = ${name}.where(status: "${pick(['active', 'draft', 'archived'])}").limit(${Math.floor(rand() * 100) + 1})\n    @total = @items.sum { |i| i.quantity * i.price }\n${maybeMention('rb')}    render json: { total: @total, count: @items.size }\n  end\n\n`,
    targetSize(),
  );
}

function csFile(): string {
  const name = cap(pick(NOUNS));
  return fill(
    `using System.Collections.Generic;\nusing System.Linq;\n\nnamespace Shop.${name}s\n{\n    public class ${name}Service\n    {\n`,
    '    }\n}\n',
    () =>
      `        public List<${name}> ${cap(ident())}(IEnumerable<${name}> items, int limit = 20)\n        {\n            var list = items.Where(i => i.Total > ${Math.floor(rand() * 1000)}).Take(limit).ToList();\n${maybeMention('cs')}            return list.OrderBy(i => i.Total).ToList();\n        }\n\n`,
    targetSize(),
  );
}

/** The few hundred files that decide cookie security, in every framework the scanner knows. */
const SESSION_FILES: Record<string, (i: number) => [string, string]> = {
  express: (i) => [
    `session-${i}.js`,
    `const express = require('express');\nconst session = require('express-session');\nconst app = express();\n${i % 3 === 0 ? "app.set('trust proxy', 1);\n" : ''}app.use(session({\n  secret: process.env.SESSION_SECRET,\n  resave: false,\n  saveUninitialized: false,\n  cookie: { secure: ${pick(['true', 'false', "'auto'", "process.env.NODE_ENV === 'production'"])}, httpOnly: ${pick(['true', 'false'])}, sameSite: '${pick(['lax', 'strict', 'none'])}' },\n}));\napp.get('/', (req, res) => {\n  res.cookie('theme', 'dark', { secure: ${pick(['true', 'false'])} });\n  res.send('ok');\n});\napp.listen(3000);\n`,
  ],
  flask: (i) => [
    `app_${i}.py`,
    `from flask import Flask, make_response\n\napp = Flask(__name__)\napp.config['SESSION_COOKIE_SECURE'] = ${pick(['True', 'False'])}\napp.config.update(SESSION_COOKIE_HTTPONLY=${pick(['True', 'False'])}, SESSION_COOKIE_SAMESITE='${pick(['Lax', 'Strict', 'None'])}')\n\n\n@app.route('/')\ndef index():\n    resp = make_response('ok')\n    resp.set_cookie('pref', 'x', secure=${pick(['True', 'False'])}, httponly=True)\n    return resp\n`,
  ],
  django: (i) => [
    `settings_${i}.py`,
    `DEBUG = ${pick(['True', 'False'])}\nINSTALLED_APPS = ['django.contrib.sessions', 'django.contrib.auth']\nMIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']\nSESSION_COOKIE_SECURE = ${pick(['True', 'False', 'not DEBUG'])}\nCSRF_COOKIE_SECURE = ${pick(['True', 'False'])}\nSECURE_HSTS_SECONDS = ${pick(['0', '31536000'])}\n`,
  ],
  php: (i) => [
    `bootstrap-${i}.php`,
    `<?php\nini_set('session.cookie_secure', '${pick(['0', '1'])}');\nini_set('session.cookie_httponly', '${pick(['0', '1'])}');\nsession_start(['cookie_samesite' => '${pick(['Lax', 'Strict', 'None'])}']);\nsetcookie('remember', $token, time() + 3600, '/', '', ${pick(['true', 'false'])}, true);\n`,
  ],
  laravel: () => [
    'config/session.php',
    `<?php\n\nreturn [\n    'driver' => env('SESSION_DRIVER', 'file'),\n    'lifetime' => env('SESSION_LIFETIME', 120),\n    'cookie' => env('SESSION_COOKIE', 'laravel_session'),\n    'secure' => env('SESSION_SECURE_COOKIE'),\n    'http_only' => true,\n    'same_site' => 'lax',\n];\n`,
  ],
  gohttp: (i) => [
    `session-${i}.go`,
    `package main\n\nimport "net/http"\n\nfunc login${i}(w http.ResponseWriter, r *http.Request) {\n\thttp.SetCookie(w, &http.Cookie{Name: "session_id", Value: newToken(), Path: "/", HttpOnly: true, Secure: ${pick(['true', 'false'])}})\n\tw.Write([]byte("ok"))\n}\n\nfunc main() {\n\thttp.HandleFunc("/login", login${i})\n\thttp.ListenAndServe(":8080", nil)\n}\n`,
  ],
  spring: () => [
    'src/main/resources/application.properties',
    `server.port=8080\nserver.servlet.session.cookie.secure=${pick(['true', 'false'])}\nserver.servlet.session.cookie.http-only=true\n`,
  ],
  rails: () => [
    'config/initializers/session_store.rb',
    `Rails.application.config.session_store :cookie_store, key: '_shop_session', secure: ${pick(['true', 'false', 'Rails.env.production?'])}\n`,
  ],
  aspnet: () => [
    'Program.cs',
    `var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddSession(options =>\n{\n    options.Cookie.Name = ".Shop.Session";\n    options.Cookie.SecurePolicy = CookieSecurePolicy.${pick(['Always', 'None', 'SameAsRequest'])};\n    options.Cookie.HttpOnly = true;\n});\nvar app = builder.Build();\napp.UseSession();\napp.Run();\n`,
  ],
  dotenv: (i) => [
    pick(['.env', '.env.production', '.env.staging']),
    `APP_ENV=${pick(['production', 'staging', 'local'])}\nAPP_KEY=base64:${createHash('sha256').update(String(i)).digest('base64')}\nSESSION_SECURE_COOKIE=${pick(['true', 'false'])}\nNODE_ENV=production\n`,
  ],
};

interface AppSpec {
  dir: string;
  kinds: ('php' | 'py' | 'js' | 'ts' | 'tsx' | 'java' | 'go' | 'rb' | 'cs')[];
  session: (keyof typeof SESSION_FILES)[];
}

const APP_KINDS: AppSpec[] = [
  { dir: 'php-shop', kinds: ['php'], session: ['php', 'laravel', 'dotenv'] },
  { dir: 'django-site', kinds: ['py'], session: ['django', 'dotenv'] },
  { dir: 'flask-api', kinds: ['py'], session: ['flask', 'dotenv'] },
  { dir: 'node-api', kinds: ['js', 'ts'], session: ['express', 'dotenv'] },
  { dir: 'web', kinds: ['tsx', 'ts'], session: [] },
  { dir: 'java-svc', kinds: ['java'], session: ['spring'] },
  { dir: 'go-svc', kinds: ['go'], session: ['gohttp'] },
  { dir: 'rails-app', kinds: ['rb'], session: ['rails'] },
  { dir: 'dotnet-app', kinds: ['cs'], session: ['aspnet'] },
];

function generateTree(): { files: number; bytes: number } {
  rmSync(TREE, { recursive: true, force: true });
  mkdirSync(TREE, { recursive: true });
  let files = 0;
  let bytes = 0;
  const write = (rel: string, text: string) => {
    const p = join(TREE, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  write('.gitignore', 'node_modules/\n*.log\n.cache/\n');
  const apps = 40;
  const sessionFilesPerApp = 8;
  const configPerApp = 6;
  const perApp = Math.floor(FILES / apps) - sessionFilesPerApp - configPerApp;
  for (let a = 0; a < apps; a++) {
    const spec = APP_KINDS[a % APP_KINDS.length];
    const base = `apps/${spec.dir}-${a}`;
    // Configuration files.
    write(
      `${base}/package.json`,
      JSON.stringify(
        {
          name: `${spec.dir}-${a}`,
          version: '1.0.0',
          dependencies: { express: '^4.21.0', 'express-session': '^1.18.1' },
        },
        null,
        2,
      ),
    );
    write(
      `${base}/composer.json`,
      JSON.stringify({ require: { php: '^8.2', 'laravel/framework': '^11.9' } }, null, 4),
    );
    write(`${base}/requirements.txt`, 'Django==5.1.2\nFlask==3.0.3\nflask-login==0.6.3\n');
    write(`${base}/docker-compose.yml`, `services:\n  web:\n    build: .\n    ports:\n      - "8000:8000"\n`);
    write(
      `${base}/tsconfig.json`,
      JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022' } }, null, 2),
    );
    write(`${base}/README.md`, `# ${spec.dir}\n\nRun it with docker compose.\n`);
    if (spec.kinds.includes('java'))
      write(
        `${base}/pom.xml`,
        '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.4</version></parent></project>\n',
      );
    if (spec.kinds.includes('go'))
      write(
        `${base}/go.mod`,
        `module example.com/${spec.dir}${a}\n\ngo 1.22\n\nrequire github.com/gorilla/sessions v1.4.0\n`,
      );
    if (spec.kinds.includes('rb'))
      write(`${base}/Gemfile`, "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n");
    if (spec.kinds.includes('cs'))
      write(
        `${base}/Shop${a}.csproj`,
        '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n',
      );
    // Files that configure sessions and cookies.
    for (let s = 0; s < sessionFilesPerApp; s++) {
      const kinds = spec.session.length > 0 ? spec.session : ['express'];
      const [name, text] = SESSION_FILES[kinds[s % kinds.length]](a * 100 + s);
      const rel =
        name.includes('/') || name.startsWith('.env') ? `${base}/${name}` : `${base}/src/config/${s}-${name}`;
      if (existsSync(join(TREE, rel))) continue;
      write(rel, text);
    }
    // Ordinary code, in folders of 40 files.
    for (let i = 0; i < perApp; i++) {
      const kind = spec.kinds[i % spec.kinds.length];
      const folder = `${base}/src/${NOUNS[Math.floor(i / 40) % NOUNS.length]}s/part${Math.floor(i / 40)}`;
      const n = `${pick(VERBS)}-${pick(NOUNS)}-${i}`;
      if (kind === 'php') write(`${folder}/${cap(n.replace(/-/g, ''))}.php`, phpFile());
      else if (kind === 'py') write(`${folder}/${n.replace(/-/g, '_')}.py`, pyFile());
      else if (kind === 'js') write(`${folder}/${n}.js`, jsFile(false));
      else if (kind === 'ts') write(`${folder}/${n}.ts`, jsFile(true));
      else if (kind === 'java') write(`${folder}/${cap(n.replace(/-/g, ''))}.java`, javaFile());
      else if (kind === 'go') write(`${folder}/${n.replace(/-/g, '_')}.go`, goFile());
      else if (kind === 'rb') write(`${folder}/${n.replace(/-/g, '_')}.rb`, rbFile());
      else if (kind === 'cs') write(`${folder}/${cap(n.replace(/-/g, ''))}.cs`, csFile());
      else write(`${folder}/${n}.tsx`, tsxFile());
    }
  }
  // Top up to exactly FILES with shared library code.
  for (let i = 0; files < FILES; i++)
    write(`libs/shared/part${Math.floor(i / 40)}/util-${i}.js`, jsFile(false));
  writeFileSync(join(TREE, '.complete'), JSON.stringify({ files, bytes }));
  return { files, bytes };
}

/**
 * The insecure session settings the generator planted, read back from the tree: every Flask app
 * file with `SESSION_COOKIE_SECURE'] = False` (each file its own Flask app), every express-session
 * file with `cookie: { secure: false`, every PHP bootstrap with `session.cookie_secure` '0', every
 * Go handler setting an `http.Cookie` with `Secure: false`, every Spring Boot application.properties
 * with `session.cookie.secure=false`, every Rails session store with `secure: false` and every
 * ASP.NET Core `AddSession` with `CookieSecurePolicy.None`. Each
 * must come out as a high or medium `cookie-missing-secure` finding in its own file: several apps
 * in one tree never mask each other.
 */
function plantedSettings(): string[] {
  const out: string[] = [];
  const apps = join(TREE, 'apps');
  for (const app of readdirSync(apps)) {
    const top = (rel: string) =>
      existsSync(join(apps, app, rel)) ? readFileSync(join(apps, app, rel), 'utf8') : '';
    if (top('src/main/resources/application.properties').includes('session.cookie.secure=false'))
      out.push(`JSESSIONID apps/${app}/src/main/resources/application.properties`);
    if (top('config/initializers/session_store.rb').includes('secure: false'))
      out.push(`_shop_session apps/${app}/config/initializers/session_store.rb`);
    if (top('Program.cs').includes('CookieSecurePolicy.None'))
      out.push(`.Shop.Session apps/${app}/Program.cs`);
    const dir = join(apps, app, 'src', 'config');
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const rel = `apps/${app}/src/config/${name}`;
      const text = readFileSync(join(dir, name), 'utf8');
      if (name.endsWith('.py') && text.includes("app.config['SESSION_COOKIE_SECURE'] = False"))
        out.push(`session ${rel}`);
      else if (name.endsWith('.js') && text.includes('cookie: { secure: false'))
        out.push(`connect.sid ${rel}`);
      else if (name.endsWith('.php') && text.includes("ini_set('session.cookie_secure', '0')"))
        out.push(`PHPSESSID ${rel}`);
      else if (name.endsWith('.go') && text.includes('Secure: false')) out.push(`session_id ${rel}`);
    }
  }
  return out.sort();
}

function ensureTree(): { files: number; bytes: number } {
  const marker = join(TREE, '.complete');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8'));
  const t0 = performance.now();
  const r = generateTree();
  console.log(`generated ${r.files} files in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Timing

function timed(
  cmd: string,
  args: string[],
): { ms: number; stdout: string; status: number | null; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { ms: performance.now() - t0, stdout: r.stdout ?? '', status: r.status, stderr: r.stderr ?? '' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function astGrepBinary(): string | null {
  const require = createRequire(import.meta.url);
  // The native binary ships in an optional platform package (no install script needed).
  const platform = `@ast-grep/cli-${process.platform}-${process.arch}${process.platform === 'linux' ? '-gnu' : ''}`;
  for (const candidate of [`${platform}/package.json`, '@ast-grep/cli/package.json']) {
    try {
      const dir = dirname(require.resolve(candidate));
      const bin = join(dir, process.platform === 'win32' ? 'ast-grep.exe' : 'ast-grep');
      if (existsSync(bin) && statSync(bin).size > 100_000) return bin;
    } catch {
      // not installed
    }
  }
  return null;
}

async function main(): Promise<void> {
  const tree = ensureTree();
  const self = fileURLToPath(import.meta.url);
  const rg = '/usr/bin/rg';
  const sg = astGrepBinary();
  const workers = Math.min(availableParallelism(), 4);
  console.log(`tree: ${tree.files} files, ${(tree.bytes / 1024 / 1024).toFixed(0)} MB (${TREE})`);
  console.log(
    `machine: ${availableParallelism()} CPUs; scan with ${workers} threads (--workers ${workers}: ${workers - 1} worker threads and the main thread); ${RUNS} interleaved runs, medians`,
  );

  const times: Record<string, number[]> = { rg: [], sg: [], scan: [], single: [] };
  const reports: { scan: ChildReport[]; single: ChildReport[] } = { scan: [], single: [] };
  let rgFiles = 0;
  let sgFiles = 0;
  // Warm the page cache so that no contender pays for the disk.
  timed(rg, ['-l', '-i', '-e', 'cookie', '-e', 'session', TREE]);
  for (let run = 0; run < RUNS; run++) {
    const r = timed(rg, ['-l', '-i', '-e', 'cookie', '-e', 'session', TREE]);
    if (r.status !== 0 && r.status !== 1) throw new Error(`rg failed: ${r.stderr}`);
    times.rg.push(r.ms);
    rgFiles = r.stdout.split('\n').filter(Boolean).length;
    if (sg) {
      const s = timed(sg, ['run', '-p', 'session($A)', '-l', 'js', '--files-with-matches', TREE]);
      if (s.status !== 0 && s.status !== 1) throw new Error(`ast-grep failed: ${s.stderr}`);
      times.sg.push(s.ms);
      sgFiles = s.stdout.split('\n').filter(Boolean).length;
    }
    for (const mode of ['scan', 'single'] as const) {
      const c = timed(process.execPath, [self, '--child', TREE, String(mode === 'scan' ? workers : 0)]);
      if (c.status !== 0) throw new Error(`scan child failed: ${c.stderr}`);
      times[mode].push(c.ms);
      reports[mode].push(JSON.parse(c.stdout.trim().split('\n').pop() as string) as ChildReport);
    }
  }

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.length ? median(v) : NaN]));
  const all = (k: string) => times[k].map((x) => (x / 1000).toFixed(2)).join(', ');
  console.log(
    `rg -l -i -e cookie -e session         ${s(med.rg)}   (runs: ${all('rg')}; ${rgFiles} files matched)`,
  );
  if (sg)
    console.log(
      `ast-grep run -p 'session($A)' -l js   ${s(med.sg)}   (runs: ${all('sg')}; ${sgFiles} files matched)`,
    );
  else console.log('ast-grep: not installed (npm install leaves out optional dependencies?)');
  console.log(`cookieguard scan, --workers ${workers}       ${s(med.scan)}   (runs: ${all('scan')})`);
  console.log(`cookieguard scan, single thread      ${s(med.single)}   (runs: ${all('single')})`);

  const last = reports.scan[reports.scan.length - 1];
  const st = last.stats;
  console.log(
    `scan: ${st.candidates} candidate files, ${st.matched} passed the keyword filter (${((100 * st.matched) / Math.max(1, st.candidates)).toFixed(1)}%), ` +
      `${st.extractorRuns} extractor runs; ${last.factFiles} files with facts, ${last.observations} observations, ${last.findings} findings, ${last.errors} errors`,
  );
  const ratioRg = med.scan / med.rg;
  const ratioSg = sg ? med.scan / med.sg : NaN;
  const peakMb = Math.max(...reports.scan.map((r) => r.vmHwmKb)) / 1024;
  const peakSingleMb = Math.max(...reports.single.map((r) => r.vmHwmKb)) / 1024;
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(`ratio scan / rg:        ${ratioRg.toFixed(1)}x (target <= 6x: ${verdict(ratioRg <= 6)})`);
  if (sg)
    console.log(`ratio scan / ast-grep:  ${ratioSg.toFixed(2)}x (target <= 1.0x: ${verdict(ratioSg <= 1)})`);
  console.log(
    `peak memory (VmHWM):    ${peakMb.toFixed(0)} MB with workers, ${peakSingleMb.toFixed(0)} MB single-threaded (target < 300 MB: ${verdict(peakMb < 300)})`,
  );

  const digests = new Set([...reports.scan, ...reports.single].map((r) => r.digest));
  const identical = digests.size === 1;
  console.log(
    `findings, observations, facts and errors identical to the single-threaded run: ${identical ? 'yes' : 'NO'}`,
  );
  if (!identical) {
    const short = (rs: ChildReport[]) => rs.map((r) => r.digest.slice(0, 12)).join(' ');
    console.log(`  digests with workers: ${short(reports.scan)}; single-threaded: ${short(reports.single)}`);
    console.log(
      '  (SCAN_BENCH_DUMP=DIR keeps each output; a rebuild of dist/ during the run also changes them)',
    );
  }
  const planted = plantedSettings();
  const reported = new Set(last.found);
  const missedPlanted = planted.filter((p) => !reported.has(p));
  console.log(
    `planted insecure session settings reported, each in its own app file: ${planted.length - missedPlanted.length}/${planted.length}`,
  );
  for (const m of missedPlanted.slice(0, 10)) console.log(`  not reported: ${m}`);
  if (!identical || missedPlanted.length > 0) process.exitCode = 1;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], Number(process.argv[4]));
} else if (process.argv[2] === '--generate') {
  console.log(ensureTree(), TREE);
} else {
  await main();
}
