import type { Provider } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { DEMO_RULE_SET, validateRuleSet, type ScoringRuleSet } from '@leadstream/domain-scoring';

export const INITIAL_RULE_SET = Symbol('INITIAL_RULE_SET');

/** The rule set a new database starts with, and where it came from (for the log). */
export interface InitialRuleSet {
  readonly ruleSet: ScoringRuleSet;
  /** The SCORING_RULES_FILE it was read from; undefined for the demo rule set. */
  readonly file: string | undefined;
}

/**
 * The file named by SCORING_RULES_FILE (JSON, validated on load: a bad file stops start-up with the
 * field named), or the demonstration rule set. It only matters while no rule set is stored: it becomes
 * the first version and is activated (InitialRuleSetSeeder); later versions come through the API.
 */
export function readInitialRuleSet(env: Readonly<Record<string, string | undefined>> = process.env): InitialRuleSet {
  const file = env['SCORING_RULES_FILE'];
  if (!file) return { ruleSet: DEMO_RULE_SET, file: undefined };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`SCORING_RULES_FILE ${file} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { ruleSet: validateRuleSet(raw), file };
}

export const initialRuleSetProvider: Provider = { provide: INITIAL_RULE_SET, useFactory: (): InitialRuleSet => readInitialRuleSet() };
