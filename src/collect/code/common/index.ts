/**
 * Extractors every project needs whatever its framework: `.env*` files, dependency manifests and
 * deployment files (a TLS-terminating proxy in front, or TLS in the app's own web server).
 * Helpers for extractors and resolvers of all families: locations and excerpts, setting values,
 * environment values, dependency versions.
 */
import type { Extractor, Resolver } from '../types.js';
import { deployExtractors } from './deploy.js';
import { dotenvExtractor } from './dotenv.js';
import { manifestExtractor } from './manifest.js';

export const extractors: Extractor[] = [dotenvExtractor, manifestExtractor, ...deployExtractors];
export const resolvers: Resolver[] = [];

export { dotenvExtractor, envFileName, envValuesOf, REDACTED_ENV_VALUE, safeEnvValue } from './dotenv.js';
export type { EnvFileName, EnvValue } from './dotenv.js';
export { deployExtractors, ownTlsServer, proxyInFront, yamlDocuments } from './deploy.js';
export type { AppRuntime, DeployFact } from './deploy.js';
export { dependencyOf, manifestExtractor, parseRequirement, versionAtLeast } from './manifest.js';
export {
  evidenceOf,
  excerptLines,
  locationAtOffset,
  locationOf,
  redactedEvidence,
  redactedText,
  snippetAt,
} from './location.js';
export { describeValue, envValue, isLiteral, literal, sameValue, unknownValue } from './values.js';
