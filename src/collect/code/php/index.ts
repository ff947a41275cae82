/**
 * PHP family of the code collector: plain PHP (php.ini, .user.ini, .htaccess, ini_set,
 * session_start, session_set_cookie_params, setcookie, header), Laravel and Symfony.
 */
import type { Extractor, Resolver } from '../types.js';
import { htaccessExtractor, phpCodeExtractor, phpIniExtractor, symfonyYamlExtractor } from './extractors.js';
import { laravelResolver } from './resolve-laravel.js';
import { phpResolver } from './resolve-php.js';
import { symfonyResolver } from './resolve-symfony.js';

export const extractors: Extractor[] = [
  phpIniExtractor,
  htaccessExtractor,
  phpCodeExtractor,
  symfonyYamlExtractor,
];
export const resolvers: Resolver[] = [phpResolver, laravelResolver, symfonyResolver];
