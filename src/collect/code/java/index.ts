/**
 * Java support of `cookieguard scan` (issue 13): Spring Boot application*.properties / *.yml with
 * profiles, servlet WEB-INF/web.xml, Tomcat context.xml, build files (Spring Boot version, servlet
 * container), and Java code (servlet Cookie, Spring ResponseCookie, Set-Cookie headers,
 * SessionCookieConfig). Extractors report facts per file; the resolver decides per application.
 */
import type { Extractor, Resolver } from '../types.js';
import { javaCodeExtractor } from './code.js';
import { contextXmlExtractor, javaBuildExtractor, springConfigExtractor, webXmlExtractor } from './config.js';
import { javaResolver } from './resolve.js';

export const extractors: Extractor[] = [
  springConfigExtractor,
  webXmlExtractor,
  contextXmlExtractor,
  javaBuildExtractor,
  javaCodeExtractor,
];
export const resolvers: Resolver[] = [javaResolver];
