import { validateRuleSet, type ScoringRuleSet } from '@leadstream/domain-scoring';
import { TransientError } from '@leadstream/platform-kafka';
import type { EntityManager } from 'typeorm';
import { ruleSetRepository } from './rule-set.repository';

/**
 * The rule set a batch is scored with: the active version, read in the batch's transaction, so every
 * replica scores with a newly activated version from its next batch on. A stored version never
 * changes, so the parsed set is kept by version and a batch costs one small query.
 */
export class ActiveRuleSetCache {
  private parsed: ScoringRuleSet | undefined;

  async load(transaction: EntityManager): Promise<ScoringRuleSet> {
    const known = this.parsed;
    const active = await ruleSetRepository.active(transaction, known?.version);
    // Transient, not permanent: the events are fine and must not be dead-lettered; they are scored once
    // a usable set is active (the initial one is stored at start-up, a valid one can be activated).
    if (!active) throw new TransientError('no scoring rule set is active yet: scoring stores the initial one once PostgreSQL is ready');
    if (known !== undefined && active.version === known.version) return known;
    let ruleSet: ScoringRuleSet;
    try {
      // Validated when stored, validated again here: the body may predate a change of the rule format.
      ruleSet = validateRuleSet(active.body);
    } catch (error) {
      throw new TransientError(
        `the active scoring rule set ${active.version} is not valid: ${error instanceof Error ? error.message : String(error)}; activate a valid version with POST /v1/scoring/rule-sets/:version/activate`,
        { cause: error },
      );
    }
    this.parsed = ruleSet;
    return ruleSet;
  }
}
