/**
 * `${ENV:NAME}` references in headers and cookies (flags or config), so that secrets stay in the
 * environment (CI secrets) rather than in files or shell history.
 */
import { UserError } from '../model/errors.js';

const REF = /\$\{ENV:([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces every `${ENV:NAME}` in `value` with the variable's value. `where` names the input in the
 * error message (never the value itself). A reference to an unset variable is an error.
 */
export function expandEnv(value: string, where: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(REF, (_m, name: string) => {
    if (!NAME.test(name)) throw new UserError(`invalid environment reference \${ENV:${name}} in ${where}`);
    const v = env[name];
    if (v === undefined)
      throw new UserError(`environment variable ${name} is not set (referenced in ${where})`);
    return v;
  });
}
