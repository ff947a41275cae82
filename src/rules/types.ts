import type { Finding, Severity } from '../model/finding.js';
import type { Observation, RejectionReason } from '../model/observation.js';

export interface RuleMeta {
  /** Stable public id: never rename. */
  id: string;
  title: string;
  /** What the rule is about and why it matters (long form, for docs and SARIF rule help). */
  description: string;
  /** Severity for a session/auth cookie (or the site-level problem); rules lower it for other cookies. */
  defaultSeverity: Severity;
  /** Sources that can produce this finding. */
  sources: readonly string[];
  /** Where the facts come from (spec section, RFC, browser source, framework source with version). */
  references?: readonly string[];
  /** How the severity is decided (documented in the README's rule table and SARIF rule help). */
  severityLogic?: string;
  /** Storage-model rejections this rule reports (a rejected cookie gets only the rejection's finding). */
  rejections?: readonly RejectionReason[];
}

/**
 * What every rule of one run shares. A context belongs to one run over one set of observations:
 * rules cache per-run facts (e.g. the judgeable cookies) under it.
 */
export interface RuleContext {
  /** All observations of the run (some rules need to look across cookies, e.g. shadowing). */
  observations: readonly Observation[];
}

/** A rule is pure: same observations in, same findings out. One concept per rule, one rule per file. */
export interface Rule {
  meta: RuleMeta;
  check(observations: readonly Observation[], ctx: RuleContext): Finding[];
}
