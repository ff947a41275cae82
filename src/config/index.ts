export type { CheckConfig, CookieguardConfig, IgnoreEntry, LoadedConfig, ScanConfig } from './types.js';
export { CONFIG_FILE_NAMES, findConfig, loadConfig, loadConfigFile } from './load.js';
export { validateConfig, isIsoDay } from './validate.js';
export { applyIgnores, describeEntry, entryMatches, isExpired, today } from './ignore.js';
export type { IgnoreResult } from './ignore.js';
export { expandEnv } from './env.js';
