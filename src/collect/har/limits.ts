/**
 * The HAR collector's defaults, in a module of their own: the CLI reads them for --max-size without
 * loading the collector (and its streaming JSON parser), which it imports only when it runs.
 */

/** Default of --max-size: far above DevTools exports with bodies, far below what would exhaust memory. */
export const DEFAULT_MAX_HAR_BYTES = 512 * 1024 * 1024;
