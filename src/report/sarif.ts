/**
 * `--format sarif`: SARIF 2.1.0 (OASIS), as read by GitHub code scanning and other SARIF viewers.
 * One run; `tool.driver.rules` from the rules' metadata; one result per finding with level, message,
 * location (file + region for code findings, the URL for live findings), related locations, fixes
 * when a mechanical edit is certain, and partial fingerprints stable per (rule, cookie, file or URL).
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Finding, RelatedLocation, Report, ReportError, Severity } from '../model/finding.js';
import type { CodeLocation } from '../model/observation.js';
import type { RuleMeta } from '../rules/types.js';
import type { RenderOptions } from './types.js';
import { evidenceFor, sortFindings } from './types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';
export const FINGERPRINT_KEY = 'cookieguardFinding/v1';

type Level = 'error' | 'warning' | 'note';

/** spec/findings.md: high -> error, medium -> warning, low and info -> note. */
export function sarifLevel(s: Severity): Level {
  return s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

/**
 * GitHub code scanning reads `security-severity` (0.0-10.0; >= 7.0 shows as high, >= 4.0 as medium,
 * > 0 as low). Info rules carry none.
 */
const SECURITY_SEVERITY: Record<Severity, string | null> = {
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: null,
};

/**
 * CWE entries for the core rules (MITRE CWE list): 614 Sensitive Cookie in HTTPS Session Without
 * 'Secure' Attribute, 1004 Sensitive Cookie Without 'HttpOnly' Flag, 319 Cleartext Transmission of
 * Sensitive Information, 598 Use of GET Request Method With Sensitive Query Strings,
 * 523 Unprotected Transport of Credentials.
 */
const CWE: Record<string, string[]> = {
  'cookie-missing-secure': ['614'],
  'cookie-secure-env-dependent': ['614'],
  'cookie-missing-httponly': ['1004'],
  'cookie-set-over-http': ['319'],
  'session-id-in-url': ['598'],
  'https-not-enforced': ['319'],
  'hsts-missing': ['523'],
  'hsts-weak': ['523'],
  'mixed-content': ['319'],
  'form-posts-over-http': ['319'],
};

/* SARIF object shapes (the subset this reporter writes). */
interface Message {
  text: string;
  markdown?: string;
}
interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}
interface Region {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}
interface PhysicalLocation {
  artifactLocation: ArtifactLocation;
  region?: Region;
}
interface LogicalLocation {
  name?: string;
  fullyQualifiedName?: string;
  kind?: string;
}
interface Location {
  id?: number;
  physicalLocation?: PhysicalLocation;
  logicalLocations?: LogicalLocation[];
  message?: Message;
}
interface ReportingDescriptor {
  id: string;
  name: string;
  shortDescription: Message;
  fullDescription: Message;
  help: Message;
  defaultConfiguration: { level: Level };
  properties: { tags: string[]; precision: string; 'security-severity'?: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: Message;
  locations: Location[];
  relatedLocations?: Location[];
  fixes?: unknown[];
  partialFingerprints: Record<string, string>;
  /** With --baseline: whether the result was already in the baseline. */
  baselineState?: 'new' | 'unchanged';
  properties: Record<string, unknown>;
}
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: {
      driver: { name: string; version: string; semanticVersion: string; rules: ReportingDescriptor[] };
    };
    originalUriBaseIds?: Record<string, { uri: string; description?: Message }>;
    invocations: {
      executionSuccessful: boolean;
      toolExecutionNotifications: { level: Level; message: Message; locations?: Location[] }[];
    }[];
    results: SarifResult[];
  }[];
}

/** `cookie-missing-secure` -> `CookieMissingSecure` (SARIF rule names are identifiers). */
export function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** Relative `/`-separated path -> URI reference (each segment percent-encoded). */
export function relativeUri(file: string): string {
  return file
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function descriptor(meta: RuleMeta): ReportingDescriptor {
  const precision = (meta as RuleMeta & { precision?: string }).precision ?? 'high';
  const cwe = CWE[meta.id] ?? [];
  const refs = meta.references ?? [];
  const helpText =
    refs.length > 0
      ? `${meta.description}\n\nReferences:\n${refs.map((r) => `- ${r}`).join('\n')}`
      : meta.description;
  const secSev = SECURITY_SEVERITY[meta.defaultSeverity];
  return {
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    help: { text: helpText, markdown: helpText },
    defaultConfiguration: { level: sarifLevel(meta.defaultSeverity) },
    properties: {
      tags: ['security', ...cwe.map((c) => `external/cwe/cwe-${c}`)],
      precision,
      ...(secSev !== null ? { 'security-severity': secSev } : {}),
    },
  };
}

/** A descriptor for a finding whose rule is not in the metadata list (keeps ruleIndex valid). */
function syntheticMeta(f: Finding): RuleMeta {
  return {
    id: f.rule,
    title: f.rule,
    description: f.message,
    defaultSeverity: f.severity,
    sources: [f.source],
  };
}

function codePhysical(loc: CodeLocation): PhysicalLocation {
  const region: Region = { startLine: Math.max(1, loc.line), startColumn: Math.max(1, loc.column) };
  if (loc.endLine !== undefined && loc.endLine >= region.startLine) {
    region.endLine = loc.endLine;
    if (loc.endColumn !== undefined && loc.endColumn >= 1) region.endColumn = loc.endColumn;
  }
  return { artifactLocation: { uri: relativeUri(loc.file), uriBaseId: SRCROOT }, region };
}

function urlPhysical(url: string): PhysicalLocation {
  return { artifactLocation: { uri: url } };
}

function primaryLocations(f: Finding): Location[] {
  const loc: Location = {};
  if (f.location) loc.physicalLocation = codePhysical(f.location);
  else if (f.url) loc.physicalLocation = urlPhysical(f.url);
  if (f.url) {
    loc.logicalLocations = [
      f.cookie !== null && f.cookie !== undefined
        ? { name: f.cookie, fullyQualifiedName: `${f.url} cookie ${f.cookie}`, kind: 'resource' }
        : { name: f.url, fullyQualifiedName: f.url, kind: 'resource' },
    ];
  }
  return loc.physicalLocation || loc.logicalLocations ? [loc] : [];
}

function relatedLocation(r: RelatedLocation, id: number): Location | null {
  if (r.location) return { id, physicalLocation: codePhysical(r.location), message: { text: r.message } };
  if (r.url) return { id, physicalLocation: urlPhysical(r.url), message: { text: r.message } };
  return null;
}

function fingerprintBase(f: Finding): string {
  const where = f.location?.file ?? f.url ?? '';
  return createHash('sha256')
    .update(`${f.rule}\u0000${f.cookie ?? ''}\u0000${where}`)
    .digest('hex')
    .slice(0, 32);
}

function notification(e: ReportError): { level: Level; message: Message; locations?: Location[] } {
  const n: { level: Level; message: Message; locations?: Location[] } = {
    level: 'error',
    message: { text: e.message },
  };
  if (e.file)
    n.locations = [
      { physicalLocation: { artifactLocation: { uri: relativeUri(e.file), uriBaseId: SRCROOT } } },
    ];
  else if (e.url) n.locations = [{ physicalLocation: urlPhysical(e.url) }];
  return n;
}

export function toSarif(report: Report, opts: RenderOptions): SarifLog {
  const metas: RuleMeta[] = [...opts.rules];
  const index = new Map<string, number>();
  metas.forEach((m, i) => {
    if (!index.has(m.id)) index.set(m.id, i);
  });
  const unchanged = new Set<Finding>(opts.baseline?.unchanged ?? []);
  const findings = sortFindings([...report.findings, ...unchanged]);
  for (const f of findings) {
    if (!index.has(f.rule)) {
      index.set(f.rule, metas.length);
      metas.push(syntheticMeta(f));
    }
  }

  const seen = new Map<string, number>();
  const results: SarifResult[] = findings.map((f) => {
    const base = fingerprintBase(f);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const evidence = evidenceFor(f, opts.showValues);
    const text = f.fix ? `${f.message}\nFix: ${f.fix}` : f.message;
    const result: SarifResult = {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule)!,
      level: sarifLevel(f.severity),
      message: { text },
      locations: primaryLocations(f),
      partialFingerprints: { [FINGERPRINT_KEY]: `${base}:${n}` },
      ...(opts.baseline ? { baselineState: unchanged.has(f) ? 'unchanged' : 'new' } : {}),
      properties: {
        severity: f.severity,
        source: f.source,
        ...(f.cookie ? { cookie: f.cookie } : {}),
        ...(f.url ? { url: f.url } : {}),
        ...(evidence !== null ? { evidence } : {}),
        ...(f.browser ? { browser: f.browser } : {}),
        ...(f.classification ? { classification: f.classification } : {}),
        ...(f.framework ? { framework: f.framework } : {}),
      },
    };
    const related = (f.related ?? [])
      .map((r, i) => relatedLocation(r, i))
      .filter((l): l is Location => l !== null);
    if (related.length > 0) result.relatedLocations = related;
    if (f.codeFix) {
      const c = f.codeFix;
      result.fixes = [
        {
          description: { text: c.description },
          artifactChanges: [
            {
              artifactLocation: { uri: relativeUri(c.file), uriBaseId: SRCROOT },
              replacements: [
                {
                  deletedRegion: {
                    startLine: c.startLine,
                    startColumn: c.startColumn,
                    endLine: c.endLine,
                    endColumn: c.endColumn,
                  },
                  insertedContent: { text: c.replacement },
                },
              ],
            },
          ],
        },
      ];
    }
    return result;
  });

  const run: SarifLog['runs'][number] = {
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        rules: metas.map(descriptor),
      },
    },
    invocations: [
      {
        executionSuccessful: opts.executionSuccessful ?? true,
        toolExecutionNotifications: report.errors.map(notification),
      },
    ],
    results,
  };
  if (opts.srcRoot) {
    let uri = pathToFileURL(opts.srcRoot).href;
    if (!uri.endsWith('/')) uri += '/';
    run.originalUriBaseIds = { [SRCROOT]: { uri, description: { text: 'The scanned source root' } } };
  }
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

export function renderSarif(report: Report, opts: RenderOptions): string {
  return `${JSON.stringify(toSarif(report, opts), null, 2)}\n`;
}
