/**
 * Command-line entry point. Returns the exit code (0 clean, 1 findings at or above --fail-on,
 * 2 could not do the job): see spec/cli.md and spec/findings.md.
 */
import { VERSION } from '../version.js';

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-V') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  process.stderr.write('cookieguard: commands are being built; see README.md\n');
  return 2;
}
