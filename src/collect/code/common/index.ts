/**
 * Extractors every project needs whatever its framework: `.env*` files and dependency manifests.
 * Helpers for extractors and resolvers of all families: locations and excerpts, setting values,
 * environment values, dependency versions.
 */
import type { Extractor, Resolver } from '../types.js';
import { dotenvExtractor } from './dotenv.js';
import { manifestExtractor } from './manifest.js';

export const extractors: Extractor[] = [dotenvExtractor, manifestExtractor];
export const resolvers: Resolver[] = [];

export { dotenvExtractor, envFileName, envValuesOf, REDACTED_ENV_VALUE, safeEnvValue } from './dotenv.js';
export type { EnvFileName, EnvValue } from './dotenv.js';
export { dependencyOf, manifestExtractor, parseRequirement, versionAtLeast } from './manifest.js';
export { evidenceOf, excerptLines, locationAtOffset, locationOf, snippetAt } from './location.js';
export { describeValue, envValue, isLiteral, literal, sameValue, unknownValue } from './values.js';
