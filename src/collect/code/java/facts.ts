/**
 * The facts the Java extractors hand to the Java resolver (CodeFact `other` entries with framework
 * 'spring' whose `data` is one of these; structured-clone safe).
 */
import type { CodeLocation } from '../../../model/observation.js';
import type { CodeFact, FileFacts, ProjectFacts, SettingValue } from '../types.js';

/** One session-cookie setting of the servlet container, from any of the places that can make it. */
export interface JavaSetting {
  /**
   * Normalised key: 'secure', 'http-only', 'same-site', 'name', 'domain', 'path', 'max-age',
   * 'tracking-modes', 'forward-headers-strategy', 'use-forward-headers', 'profiles-active'.
   */
  key: string;
  value: SettingValue;
  /** Where it was made: 'spring-properties', 'web.xml', 'context.xml', 'servlet-api' (SessionCookieConfig in code). */
  via: 'spring-properties' | 'web.xml' | 'context.xml' | 'servlet-api';
  /** Spring profile the setting belongs to ('' = the base file, active in every profile). */
  profile: string;
  location: CodeLocation;
  evidence: string;
}

/** The project uses the servlet session (HttpSession, request.getSession(), Spring Security ...). */
export interface JavaSessionUse {
  evidence: string;
  location: CodeLocation;
}

export interface JavaBuildData {
  /** Spring Boot version from the parent POM, the Gradle plugin or a BOM; null when not written. */
  springBoot: string | null;
  /**
   * The build uses Spring Boot: a pom.xml <parent>, <dependency> or <plugin> with groupId
   * org.springframework.boot, or a Gradle build naming org.springframework.boot (version known or not).
   */
  springBootPresent: boolean;
  /** Which servlet container the build embeds or deploys to, when it says. */
  container: 'tomcat' | 'jetty' | 'undertow' | null;
  springSecurity: boolean;
  location: CodeLocation;
  evidence: string;
}

export const JAVA_FACT = {
  setting: 'java-setting',
  session: 'java-session-use',
  build: 'java-build',
} as const;

export function javaFact(key: string, data: unknown, location: CodeLocation, evidence: string): CodeFact {
  return { type: 'other', framework: 'spring', key, data, location, evidence };
}

export function javaFactsOf<T>(project: ProjectFacts, key: string): { file: FileFacts; data: T }[] {
  const out: { file: FileFacts; data: T }[] = [];
  for (const f of project.files)
    for (const fact of f.facts)
      if (fact.type === 'other' && fact.framework === 'spring' && fact.key === key)
        out.push({ file: f, data: fact.data as T });
  return out;
}
