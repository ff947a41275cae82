/**
 * Evaluation of environment tests (`process.env.NODE_ENV === 'production'`, `app.get('env')`, `!isDev` ...)
 * against the variables of one environment. Shared by the extractor (to name the environments in which a
 * condition holds) and the resolver (to compute a value per environment from .env files).
 */
import type { EnvTest } from '../types.js';

export type EnvVars = Record<string, string | undefined>;

function read(vars: EnvVars, variable: string, dflt: string | undefined): string | undefined {
  const v = vars[variable];
  return v === undefined ? dflt : v;
}

/** JavaScript truthiness of an environment variable's value (every non-empty string is truthy, 'false' too). */
export function evalEnvTest(test: EnvTest, vars: EnvVars): boolean {
  switch (test.op) {
    case 'eq':
      return read(vars, test.variable, test.default) === test.value;
    case 'ne':
      return read(vars, test.variable, test.default) !== test.value;
    case 'in': {
      const v = read(vars, test.variable, test.default);
      return v !== undefined && test.values.includes(v);
    }
    case 'truthy':
      return Boolean(read(vars, test.variable, test.default));
    case 'falsy':
      return !read(vars, test.variable, test.default);
    case 'and':
      return test.tests.every((t) => evalEnvTest(t, vars));
    case 'or':
      return test.tests.some((t) => evalEnvTest(t, vars));
    case 'not':
      return !evalEnvTest(test.test, vars);
  }
}

/** Every variable a test reads. */
export function testVariables(test: EnvTest): string[] {
  switch (test.op) {
    case 'and':
    case 'or':
      return [...new Set(test.tests.flatMap(testVariables))];
    case 'not':
      return testVariables(test.test);
    default:
      return [test.variable];
  }
}

export function negate(test: EnvTest): EnvTest {
  if (test.op === 'not') return test.test;
  return { op: 'not', test };
}

/** The usual NODE_ENV values, used when no .env file names the environments. */
export const NODE_ENVS = ['production', 'development', 'test'] as const;

/** The NODE_ENV values under which a test that reads only NODE_ENV holds; undefined when it reads anything else. */
export function nodeEnvsWhereTrue(test: EnvTest): string[] | undefined {
  const vars = testVariables(test);
  if (vars.length !== 1 || vars[0] !== 'NODE_ENV') return undefined;
  return NODE_ENVS.filter((env) => evalEnvTest(test, { NODE_ENV: env }));
}
