/** The csharp extractors and resolvers of `cookieguard scan` (issue 13): ASP.NET Core and classic ASP.NET. */
import type { Extractor, Resolver } from '../types.js';
import { csharpExtractor } from './code.js';
import { appSettingsExtractor, csprojExtractor, webConfigExtractor } from './config.js';
import { aspnetResolver } from './resolve.js';

export const extractors: Extractor[] = [
  csharpExtractor,
  webConfigExtractor,
  csprojExtractor,
  appSettingsExtractor,
];
export const resolvers: Resolver[] = [aspnetResolver];
