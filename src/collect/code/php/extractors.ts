/**
 * The PHP family's file-level extractors (run by the engine in worker threads): php.ini / .user.ini,
 * .htaccess, PHP source (incl. Laravel config), Symfony YAML config. Each is pure and synchronous;
 * its facts are plain data.
 */
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { extractPhpCode } from './code.js';
import { modPhpValue, parseApacheConfig, sectionsExcludePhp } from './htaccess.js';
import { parsePhpIni, type IniValue } from './ini.js';
import { SESSION_INI_KEYS } from './keys.js';
import { extractSymfonyYaml } from './symfony.js';
import { iniBool, type PhpValue } from './values.js';

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

export function iniValueToPhp(v: IniValue): PhpValue {
  if (v.kind === 'literal') return { kind: 'literal', value: v.value };
  if (v.kind === 'env') return { kind: 'env', variable: v.variable, via: 'getenv', expression: v.expression };
  return { kind: 'unknown', expression: v.expression, reason: v.reason };
}

export function extractIni(file: SourceFile): CodeFact[] {
  const via = baseName(file.file) === '.user.ini' ? '.user.ini' : 'php.ini';
  const facts: CodeFact[] = [];
  for (const e of parsePhpIni(file.text)) {
    if (!SESSION_INI_KEYS.has(e.key)) continue;
    const value = iniValueToPhp(e.value);
    const location = { file: file.file, line: e.line, column: e.column };
    const fact: CodeFact = {
      type: 'setting',
      framework: 'php',
      key: e.key,
      value:
        e.value.kind === 'literal'
          ? { kind: 'literal', value: e.value.value }
          : e.value.kind === 'env'
            ? { kind: 'env', variable: e.value.variable, expression: e.value.expression }
            : { kind: 'unknown', expression: e.value.expression, reason: e.value.reason },
      location,
      evidence: e.text,
      via,
      detail: { value, section: e.section, quoted: e.value.kind === 'literal' ? e.value.quoted : false },
    };
    if (e.section && /^(HOST|PATH)=/i.test(e.section)) fact.scope = { module: e.section };
    facts.push(fact);
    if (e.key === 'session.auto_start' && e.value.kind === 'literal' && iniBool(e.value.value)) {
      facts.push({
        type: 'session-enabled',
        framework: 'php',
        location,
        evidence: e.text,
        objectId: `auto_start@${file.file}:${e.line}`,
      });
    }
  }
  return facts;
}

export function extractHtaccess(file: SourceFile): CodeFact[] {
  const facts: CodeFact[] = [];
  for (const d of parseApacheConfig(file.text)) {
    const name = d.name.toLowerCase();
    if (name !== 'php_flag' && name !== 'php_value') continue; // php_admin_* are not allowed in .htaccess
    if (sectionsExcludePhp(d.sections)) continue;
    const key = d.args[0]?.text;
    if (!key || !SESSION_INI_KEYS.has(key)) continue;
    const stored = modPhpValue(name, d.args);
    const location = { file: file.file, line: d.line, column: d.column };
    const value: PhpValue =
      stored === null
        ? {
            kind: 'unknown',
            expression: d.text,
            reason: `${d.name} takes exactly two arguments (Apache rejects this line)`,
          }
        : { kind: 'literal', value: stored };
    const fact: CodeFact = {
      type: 'setting',
      framework: 'php',
      key,
      value:
        stored === null
          ? { kind: 'unknown', expression: d.text, reason: 'invalid directive' }
          : { kind: 'literal', value: stored },
      location,
      evidence: d.text,
      via: 'htaccess',
      detail: { value, directive: name, sections: d.sections },
    };
    if (d.sections.length) fact.scope = { module: d.sections.join(' ') };
    facts.push(fact);
    if (key === 'session.auto_start' && stored !== null && iniBool(stored)) {
      facts.push({
        type: 'session-enabled',
        framework: 'php',
        location,
        evidence: d.text,
        objectId: `auto_start@${file.file}:${d.line}`,
      });
    }
  }
  return facts;
}

export const phpIniExtractor: Extractor = {
  name: 'php-ini',
  files: ['**/*.ini', '**/.user.ini'],
  keywords: ['session.'],
  extract: extractIni,
};

export const htaccessExtractor: Extractor = {
  name: 'php-htaccess',
  files: ['**/.htaccess'],
  keywords: ['php_flag', 'php_value'],
  extract: extractHtaccess,
};

export const phpCodeExtractor: Extractor = {
  name: 'php-code',
  files: ['**/*.php', '**/*.phtml', '**/*.inc'],
  // 'proxies' covers Laravel's TrustProxies / config/trustedproxy.php and Symfony's setTrustedProxies;
  // the quoted 'HTTPS' / forwarded_proto / server_port, request-scheme helpers such as is_ssl().
  // `$config[$`: a configuration getter (`return self::$config[$key];`) other files' settings read.
  keywords: [
    'session',
    'cookie',
    'proxies',
    "'https'",
    '"https"',
    'forwarded_proto',
    'server_port',
    '$config[$',
    // Referer getters (wp_get_referer() over $_SERVER['HTTP_REFERER']): Secure decided by the Referer.
    'http_referer',
    'referer(',
    'referrer(',
  ],
  extract: (file) => extractPhpCode(file.file, file.text),
};

export const symfonyYamlExtractor: Extractor = {
  name: 'symfony-yaml',
  // config/packages (Symfony 4+) and app/config (Symfony 2 and 3: config.yml, config_prod.yml, security.yml).
  files: [
    '**/config/packages/**/*.yaml',
    '**/config/packages/**/*.yml',
    '**/app/config/*.yml',
    '**/app/config/*.yaml',
  ],
  keywords: ['framework', 'remember_me'],
  extract: (file) => extractSymfonyYaml(file.file, file.text),
};
