/** Fixed findings for reporter tests: one of each shape a reporter must render. */
import type { Finding, Report } from '../../src/model/finding.js';
import type { RuleMeta } from '../../src/rules/types.js';

/** A cookie value that must never appear in a report without --show-values. */
export const SECRET = 's3cr3t-SESSION-VALUE-9f8e7d6c5b4a';

export const codeFinding: Finding = {
  rule: 'cookie-missing-secure',
  severity: 'high',
  source: 'code',
  message: 'The session cookie PHPSESSID is sent over plain HTTP: session.cookie_secure is Off',
  cookie: 'PHPSESSID',
  location: { file: 'config/php.ini', line: 9, column: 1, endLine: 9, endColumn: 28 },
  url: null,
  evidence: 'session.cookie_secure = Off',
  fix: 'Set session.cookie_secure = 1 (php.ini)',
  framework: 'php',
  browser: 'Browsers send PHPSESSID over http:// requests too.',
  classification: 'PHPSESSID is PHP’s default session cookie',
  snippet: '  8 | [Session]\n  9 | session.cookie_secure = Off',
  related: [{ location: { file: 'src/login.php', line: 3, column: 1 }, message: 'session_start() here' }],
  codeFix: {
    description: 'Turn session.cookie_secure on',
    file: 'config/php.ini',
    startLine: 9,
    startColumn: 25,
    endLine: 9,
    endColumn: 28,
    replacement: '1',
  },
};

export const liveFinding: Finding & { rawEvidence: string } = {
  rule: 'cookie-missing-httponly',
  severity: 'medium',
  source: 'live',
  message: 'The session cookie sid can be read by scripts',
  cookie: 'sid',
  location: null,
  url: 'https://app.example.test/login',
  evidence: 'Set-Cookie: sid=<redacted>; Path=/; Secure',
  rawEvidence: `Set-Cookie: sid=${SECRET}; Path=/; Secure`,
  fix: 'Add HttpOnly',
  framework: 'express',
  related: [{ url: 'http://app.example.test/login', message: 'also set over HTTP' }],
};

export const siteFinding: Finding = {
  rule: 'hsts-missing',
  severity: 'low',
  source: 'live',
  message: 'No Strict-Transport-Security header',
  cookie: null,
  location: null,
  url: 'https://app.example.test/login',
  evidence: null,
  fix: 'Send Strict-Transport-Security: max-age=31536000',
  framework: null,
};

export const infoFinding: Finding = {
  rule: 'cookie-missing-secure',
  severity: 'info',
  source: 'code',
  message: 'Test fixture sets a cookie without Secure',
  cookie: 'theme',
  location: { file: 'test/fixtures/a & b <x>.js', line: 2, column: 5 },
  url: null,
  evidence: 'res.cookie(\'theme\', "dark") // <b>&\u0001',
  fix: null,
  framework: 'express',
};

/** A finding whose rule is not in the metadata list (a newer rule). */
export const unknownRuleFinding: Finding = {
  rule: 'cookie-future-rule',
  severity: 'medium',
  source: 'live',
  message: 'Something new',
  cookie: 'sid',
  location: null,
  url: 'https://other.example.test/',
  evidence: null,
  fix: null,
  framework: null,
};

export const rules: RuleMeta[] = [
  {
    id: 'cookie-missing-secure',
    title: 'Cookie without Secure',
    description: 'A cookie without Secure is sent over plain HTTP.',
    defaultSeverity: 'high',
    sources: ['code', 'live'],
    references: ['RFC 6265bis section 5.7'],
  },
  {
    id: 'cookie-missing-httponly',
    title: 'Session cookie without HttpOnly',
    description: 'Scripts can read the cookie.',
    defaultSeverity: 'medium',
    sources: ['code', 'live'],
  },
  {
    id: 'hsts-missing',
    title: 'No HSTS',
    description: 'HTTPS responses without Strict-Transport-Security.',
    defaultSeverity: 'medium',
    sources: ['live'],
  },
];

export function makeReport(findings: Finding[], errors: Report['errors'] = []): Report {
  return { version: 1, tool: { name: 'cookieguard', version: '0.1.0' }, findings, errors };
}

export const allFindings: Finding[] = [
  liveFinding,
  siteFinding,
  codeFinding,
  infoFinding,
  unknownRuleFinding,
];
export const errors: Report['errors'] = [
  { url: 'https://down.example.test/', message: 'connection refused by down.example.test:443' },
  { file: 'src/unreadable.php', message: 'permission denied' },
];
