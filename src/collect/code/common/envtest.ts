/**
 * Evaluation of environment tests (`process.env.NODE_ENV === 'production'`, `app.get('env')`, `!isDev`,
 * Go's `os.Getenv`, Ruby's `Rails.env.production?` ...) against the variables of one environment. Shared by
 * the JavaScript extractor (to name the environments in which a condition holds) and the JavaScript, Go and
 * Rails resolvers (to compute a value per environment).
 *
 * Three-valued: `undefined` when the outcome cannot be known in that environment (a part of the condition
 * that is no environment test, a URL prefix test on a variable no file sets). `and` / `or` short-circuit as
 * JavaScript does: `false && unknown` is false, `true || unknown` is true.
 */
import type { EnvTest } from '../types.js';

export type EnvVars = Record<string, string | undefined>;

function read(vars: EnvVars, variable: string, dflt: string | undefined): string | undefined {
  const v = vars[variable];
  return v === undefined ? dflt : v;
}

/** JavaScript truthiness of an environment variable's value (every non-empty string is truthy, 'false' too). */
export function evalEnvTest(test: EnvTest, vars: EnvVars): boolean | undefined {
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
    case 'prefix': {
      // an unset URL without a default is a required setting nobody gave: no outcome
      const v = read(vars, test.variable, test.default);
      return v === undefined ? undefined : v.toLowerCase().startsWith(test.value.toLowerCase());
    }
    case 'unknown':
      return undefined;
    case 'and': {
      let unknown = false;
      for (const t of test.tests) {
        const r = evalEnvTest(t, vars);
        if (r === false) return false;
        if (r === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    case 'or': {
      let unknown = false;
      for (const t of test.tests) {
        const r = evalEnvTest(t, vars);
        if (r === true) return true;
        if (r === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    }
    case 'not': {
      const r = evalEnvTest(test.test, vars);
      return r === undefined ? undefined : !r;
    }
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
    case 'unknown':
      return [];
    default:
      return [test.variable];
  }
}

/** True when some part of the test is not an environment test. */
export function hasUnknown(test: EnvTest): boolean {
  switch (test.op) {
    case 'and':
    case 'or':
      return test.tests.some(hasUnknown);
    case 'not':
      return hasUnknown(test.test);
    case 'unknown':
      return true;
    default:
      return false;
  }
}

/**
 * The URL-scheme parts of a test: variables tested for an `https` prefix, and computed URLs tested the
 * same way (`String(siteUrl()).startsWith('https://')`). Such a switch makes Secure follow the scheme the
 * site is deployed with.
 */
export function httpsParts(test: EnvTest): { variables: string[]; expressions: string[] } {
  const variables: string[] = [];
  const expressions: string[] = [];
  const walk = (t: EnvTest): void => {
    if (t.op === 'and' || t.op === 'or') t.tests.forEach(walk);
    else if (t.op === 'not') walk(t.test);
    else if (t.op === 'prefix' && isHttpsPrefix(t.value)) variables.push(t.variable);
    else if (t.op === 'unknown' && t.https) expressions.push(t.expression);
  };
  walk(test);
  return { variables: [...new Set(variables)], expressions: [...new Set(expressions)] };
}

/** `https`, `https:`, `https://`: a test of a URL's scheme. */
export function isHttpsPrefix(value: string): boolean {
  return /^https(?::(?:\/\/)?)?$/i.test(value);
}

/** The test with the URL-scheme tests of computed URLs (`unknown` with `https`) taken as true. */
export function assumeHttps(test: EnvTest): EnvTest {
  switch (test.op) {
    case 'and':
    case 'or':
      return { op: test.op, tests: test.tests.map(assumeHttps) };
    case 'not':
      return { op: 'not', test: assumeHttps(test.test) };
    case 'unknown':
      return test.https ? { op: 'and', tests: [] } : test;
    default:
      return test;
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
  if (hasUnknown(test)) return undefined;
  const vars = testVariables(test);
  if (vars.length !== 1 || vars[0] !== 'NODE_ENV') return undefined;
  return NODE_ENVS.filter((env) => evalEnvTest(test, { NODE_ENV: env }) === true);
}
