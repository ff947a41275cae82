/**
 * Java configuration files of `cookieguard scan`: Spring Boot application*.properties / *.yml
 * (profiles), servlet WEB-INF/web.xml <session-config>, Tomcat context.xml and the build files
 * (pom.xml, build.gradle[.kts]) for the Spring Boot version and the servlet container.
 *
 * Spring Boot property names: "Common Application Properties" (server.servlet.session.cookie.*,
 * server.servlet.session.tracking-modes, server.forward-headers-strategy; same-site from 2.6;
 * server.use-forward-headers before 2.2) and relaxed binding (http-only = httpOnly = http_only).
 * Profile files `application-{profile}.*` and documents with `spring.config.activate.on-profile`
 * (2.4+) / `spring.profiles` (before) override the base file for that profile.
 * web.xml elements: Servlet 3.0+ <session-config><cookie-config> (name, domain, path, http-only,
 * secure, max-age) and <tracking-mode> COOKIE | URL | SSL; Servlet 6.0 <attribute> for SameSite.
 * Tomcat context.xml: <Context useHttpOnly sessionCookieName sessionCookieDomain sessionCookiePath>
 * and <CookieProcessor sameSiteCookies> (Tomcat 9 configuration reference, "The Context Container").
 */
import { yamlDocuments } from '../common/deploy.js';
import { locationAtOffset } from '../common/location.js';
import { envValue, literal, unknownValue } from '../common/values.js';
import type { CodeFact, Extractor, SettingValue, SourceFile } from '../types.js';
import { JAVA_FACT, javaFact, type JavaBuildData, type JavaSetting } from './facts.js';

// ------------------------------------------------------------------------------------------- values

/** A Spring property value: `${VAR:default}` reads the environment, `true`/`false` are booleans. */
export function springValue(raw: unknown): SettingValue {
  if (typeof raw === 'boolean' || typeof raw === 'number') return literal(raw);
  if (raw === null || raw === undefined) return literal(null);
  if (Array.isArray(raw)) return literal(raw.map((x) => String(x)).join(','));
  const text = String(raw).trim();
  const ph = /^\$\{([A-Za-z0-9_.-]+)(?::([^}]*))?\}$/.exec(text);
  if (ph) {
    const dflt = ph[2] === undefined ? undefined : scalar(ph[2]);
    return envValue(ph[1]!, text, dflt === undefined ? undefined : dflt);
  }
  if (text.includes('${')) return unknownValue(text, 'a property placeholder mixed with text');
  return literal(scalar(text));
}

function scalar(text: string): string | number | boolean {
  const t = text.trim();
  if (/^true$/i.test(t)) return true;
  if (/^false$/i.test(t)) return false;
  if (/^-?\d+$/.test(t)) return Number(t);
  return t;
}

// ------------------------------------------------------------------------------ Spring properties

/** Relaxed-binding form of a property name: lower case, without dashes and underscores. */
function relaxed(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

const SPRING_KEYS: Record<string, string> = {
  'server.servlet.session.cookie.secure': 'secure',
  'server.servlet.session.cookie.httponly': 'http-only',
  'server.servlet.session.cookie.samesite': 'same-site',
  'server.servlet.session.cookie.name': 'name',
  'server.servlet.session.cookie.domain': 'domain',
  'server.servlet.session.cookie.path': 'path',
  'server.servlet.session.cookie.maxage': 'max-age',
  'server.servlet.session.trackingmodes': 'tracking-modes',
  // Spring Boot 1.x names.
  'server.session.cookie.secure': 'secure',
  'server.session.cookie.httponly': 'http-only',
  'server.session.cookie.name': 'name',
  'server.session.cookie.domain': 'domain',
  'server.session.cookie.path': 'path',
  'server.session.cookie.maxage': 'max-age',
  'server.session.trackingmodes': 'tracking-modes',
  'server.forwardheadersstrategy': 'forward-headers-strategy',
  'server.useforwardheaders': 'use-forward-headers',
  'spring.profiles.active': 'profiles-active',
};
const PROFILE_KEYS = new Set(['spring.config.activate.onprofile', 'spring.profiles']);

/** `application-prod.yml` → 'prod'; `application.properties` → ''. */
export function profileOfFile(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const m = /^application-([^.]+)\.(?:properties|ya?ml)$/i.exec(base);
  return m ? m[1]! : '';
}

interface RawProp {
  key: string;
  value: unknown;
  offset: number;
  doc: number;
}

function propertiesEntries(text: string): RawProp[] {
  const out: RawProp[] = [];
  const lines = text.split('\n');
  let offset = 0;
  let doc = 0;
  for (let i = 0; i < lines.length; i++) {
    const start = offset;
    let line = lines[i]!.replace(/\r$/, '');
    offset += lines[i]!.length + 1;
    if (/^\s*[#!]---\s*$/.test(line)) {
      doc++;
      continue;
    }
    if (/^\s*([#!]|$)/.test(line)) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.replace(/\r$/, '').trimStart();
      offset += lines[i]!.length + 1;
    }
    const m = /^\s*((?:\\.|[^=:\s])+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (!m) continue;
    out.push({
      key: m[1]!.replace(/\\(.)/g, '$1'),
      value: m[2]!.trim(),
      offset: start + line.indexOf(m[1]!),
      doc,
    });
  }
  return out;
}

/** Flattens a YAML document into dotted keys; the offset is found by walking the key path in the text. */
function yamlEntries(text: string): RawProp[] {
  const out: RawProp[] = [];
  // Document starts, for the offsets.
  const docStarts = [0];
  for (const m of text.matchAll(/^---[^\n]*$/gm)) if (m.index! > 0) docStarts.push(m.index!);
  const docs = yamlDocuments(text);
  docs.forEach((doc, d) => {
    const flat: { path: string[]; value: unknown }[] = [];
    const walk = (v: unknown, path: string[]): void => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, [...path, k]);
      } else flat.push({ path, value: v });
    };
    walk(doc, []);
    const from = docStarts[d] ?? 0;
    for (const { path, value } of flat) {
      let at = from;
      for (const seg of path) {
        const re = new RegExp(
          `(^|\\n)[ \\t-]*["']?${seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`,
          'g',
        );
        re.lastIndex = at;
        const m = re.exec(text);
        if (m) at = m.index + m[1]!.length;
      }
      out.push({ key: path.join('.'), value, offset: at, doc: d });
    }
  });
  return out;
}

function lineText(text: string, offset: number): string {
  const end = text.indexOf('\n', offset);
  return text.slice(offset, end < 0 ? undefined : end).trim();
}

function springSettings(file: SourceFile): CodeFact[] {
  const yaml = /\.ya?ml$/i.test(file.file);
  const entries = yaml ? yamlEntries(file.text) : propertiesEntries(file.text);
  const fileProfile = profileOfFile(file.file);
  // Profile of each document (multi-document files).
  const docProfile = new Map<number, string>();
  for (const e of entries)
    if (PROFILE_KEYS.has(relaxed(e.key)) && typeof e.value === 'string')
      docProfile.set(e.doc, e.value.trim());
  const out: CodeFact[] = [];
  for (const e of entries) {
    const key = SPRING_KEYS[relaxed(e.key)];
    if (!key) continue;
    const location = locationAtOffset(file.text, e.offset, file.file);
    const evidence = lineText(file.text, e.offset);
    const data: JavaSetting = {
      key,
      value: springValue(e.value),
      via: 'spring-properties',
      profile: docProfile.get(e.doc) ?? fileProfile,
      location,
      evidence,
    };
    out.push(javaFact(JAVA_FACT.setting, data, location, evidence));
  }
  return out;
}

export const springConfigExtractor: Extractor = {
  name: 'spring-config',
  files: [
    '**/application.properties',
    '**/application-*.properties',
    '**/application.{yml,yaml}',
    '**/application-*.{yml,yaml}',
  ],
  keywords: ['session', 'forward', 'profiles'],
  extract: springSettings,
};

// ------------------------------------------------------------------------------------- XML files

/** The text with XML comments blanked (offsets kept). */
function withoutComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
}

function xmlSetting(
  file: SourceFile,
  key: string,
  raw: string,
  offset: number,
  via: JavaSetting['via'],
): CodeFact {
  const location = locationAtOffset(file.text, offset, file.file);
  const evidence = lineText(file.text, offset);
  const data: JavaSetting = { key, value: literal(scalar(raw)), via, profile: '', location, evidence };
  return javaFact(JAVA_FACT.setting, data, location, evidence);
}

function webXml(file: SourceFile): CodeFact[] {
  const text = withoutComments(file.text);
  const out: CodeFact[] = [];
  const sc = /<session-config\b[^>]*>([\s\S]*?)<\/session-config>/.exec(text);
  if (!sc) return out;
  const base = sc.index + sc[0].indexOf('>') + 1;
  const body = sc[1]!;
  const cc = /<cookie-config\b[^>]*>([\s\S]*?)<\/cookie-config>/.exec(body);
  if (cc) {
    const ccBase = base + cc.index + cc[0].indexOf('>') + 1;
    const cbody = cc[1]!;
    for (const m of cbody.matchAll(/<(name|domain|path|http-only|secure|max-age)>\s*([^<]*?)\s*<\/\1>/g))
      out.push(xmlSetting(file, m[1]!, m[2]!, ccBase + m.index!, 'web.xml'));
    for (const m of cbody.matchAll(
      /<attribute>\s*<attribute-name>\s*SameSite\s*<\/attribute-name>\s*<attribute-value>\s*([^<]*?)\s*<\/attribute-value>/gi,
    ))
      out.push(xmlSetting(file, 'same-site', m[1]!, ccBase + m.index!, 'web.xml'));
  }
  const modes = [...body.matchAll(/<tracking-mode>\s*([A-Za-z]+)\s*<\/tracking-mode>/g)];
  if (modes.length > 0)
    out.push(
      xmlSetting(
        file,
        'tracking-modes',
        modes.map((m) => m[1]!.toLowerCase()).join(','),
        base + modes[0]!.index!,
        'web.xml',
      ),
    );
  // Explicit session configuration: the application uses the container's session.
  const location = locationAtOffset(file.text, sc.index, file.file);
  out.push(
    javaFact(JAVA_FACT.session, { evidence: '<session-config>', location }, location, '<session-config>'),
  );
  return out;
}

export const webXmlExtractor: Extractor = {
  name: 'servlet-web-xml',
  files: ['**/WEB-INF/web.xml', '**/web-fragment.xml'],
  keywords: ['session-config'],
  extract: webXml,
};

function contextXml(file: SourceFile): CodeFact[] {
  const text = withoutComments(file.text);
  const out: CodeFact[] = [];
  const ctx = /<Context\b([^>]*)>/.exec(text);
  if (ctx) {
    const attrs: Record<string, string> = {
      useHttpOnly: 'http-only',
      sessionCookieName: 'name',
      sessionCookieDomain: 'domain',
      sessionCookiePath: 'path',
    };
    for (const m of ctx[1]!.matchAll(/\b(\w+)\s*=\s*(["'])(.*?)\2/g)) {
      const key = attrs[m[1]!];
      if (key)
        out.push(xmlSetting(file, key, m[3]!, ctx.index + '<Context'.length + m.index!, 'context.xml'));
    }
  }
  const cp = /<CookieProcessor\b[^>]*\bsameSiteCookies\s*=\s*(["'])(.*?)\1/.exec(text);
  if (cp) out.push(xmlSetting(file, 'same-site', cp[2]!, cp.index, 'context.xml'));
  return out;
}

export const contextXmlExtractor: Extractor = {
  name: 'tomcat-context-xml',
  files: ['**/context.xml'],
  keywords: ['<Context'],
  extract: contextXml,
};

// ------------------------------------------------------------------------------------ build files

function buildFile(file: SourceFile): CodeFact[] {
  const text = withoutComments(file.text);
  const pom = file.file.endsWith('.xml');
  let springBoot: string | null = null;
  let at = -1;
  if (pom) {
    const props = new Map<string, string>();
    const pb = /<properties>([\s\S]*?)<\/properties>/.exec(text);
    if (pb) for (const m of pb[1]!.matchAll(/<([\w.-]+)>\s*([^<]*?)\s*<\/\1>/g)) props.set(m[1]!, m[2]!);
    const sub = (v: string): string => v.replace(/\$\{([\w.-]+)\}/g, (all, k: string) => props.get(k) ?? all);
    for (const m of text.matchAll(
      /<(parent|dependency|plugin)>(?:(?!<\/\1>)[\s\S])*?<groupId>\s*org\.springframework\.boot\s*<\/groupId>(?:(?!<\/\1>)[\s\S])*?<\/\1>/g,
    )) {
      const v = /<version>\s*([^<]+?)\s*<\/version>/.exec(m[0]);
      if (v && !springBoot) {
        springBoot = sub(v[1]!);
        at = m.index!;
      } else if (at < 0) at = m.index!;
    }
  } else {
    const plugin =
      /id\s*\(?\s*["']org\.springframework\.boot["']\s*\)?\s*version\s*\(?\s*["']([^"']+)["']/.exec(text) ??
      /org\.springframework\.boot:spring-boot[\w-]*:([\w.-]+)/.exec(text);
    if (plugin) {
      springBoot = plugin[1]!;
      at = plugin.index;
    } else {
      const any = /org\.springframework\.boot/.exec(text);
      if (any) at = any.index;
    }
  }
  if (springBoot !== null && springBoot.includes('${')) springBoot = null;
  const container: JavaBuildData['container'] =
    /spring-boot-starter-jetty|jetty-maven-plugin|org\.eclipse\.jetty|gretty/.test(text)
      ? 'jetty'
      : /spring-boot-starter-undertow|io\.undertow/.test(text)
        ? 'undertow'
        : /spring-boot-starter-(web|tomcat)\b|tomcat-embed|tomcat\d*-maven-plugin|org\.apache\.tomcat/.test(
              text,
            )
          ? 'tomcat'
          : null;
  const springSecurity = /spring-boot-starter-security|spring-security-(web|config)/.test(text);
  if (at < 0 && container === null && !springSecurity) return [];
  const offset = Math.max(at, 0);
  const location = locationAtOffset(file.text, offset, file.file);
  const evidence = lineText(file.text, offset);
  const data: JavaBuildData = {
    springBoot,
    springBootPresent: at >= 0,
    container,
    springSecurity,
    location,
    evidence,
  };
  return [javaFact(JAVA_FACT.build, data, location, evidence)];
}

export const javaBuildExtractor: Extractor = {
  name: 'java-build',
  files: ['**/pom.xml', '**/build.gradle', '**/build.gradle.kts'],
  keywords: ['springframework', 'jetty', 'tomcat', 'undertow', 'servlet'],
  extract: buildFile,
};
