import type { Provider } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { DEMO_RULE_SET, validateRuleSet, type ScoringRuleSet } from '@leadstream/domain-scoring';

export const SCORING_RULE_SET = Symbol('SCORING_RULE_SET');

/**
 * The active rule set: the file named by SCORING_RULES_FILE (JSON, validated on load: a bad file
 * stops start-up with the field named) or the demonstration rule set.
 */
export const scoringRuleSetProvider: Provider = {
  provide: SCORING_RULE_SET,
  useFactory: (): ScoringRuleSet => {
    const file = process.env['SCORING_RULES_FILE'];
    if (!file) return DEMO_RULE_SET;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`SCORING_RULES_FILE ${file} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    return validateRuleSet(raw);
  },
};
