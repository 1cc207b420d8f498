import type { EnrichedLead, MatchExplanation } from '@leadstream/contracts';
import { compareLeads, type MatchComparison, type MatchRules } from '@leadstream/domain-matching';

/** The explanation a lead.resolved or a resolution carries: the rules version, the lead matched, the score and every feature. */
export function explain(matchedLeadId: string, comparison: MatchComparison, rules: MatchRules): MatchExplanation {
  return { ruleSetVersion: rules.version, matchedLeadId, score: comparison.score, on: comparison.on, features: comparison.features };
}

/** The member of a cluster a lead matches best, and how: why the lead joined that cluster. */
export function strongestMatch(lead: EnrichedLead, members: readonly { leadId: string; lead: EnrichedLead }[], rules: MatchRules): { leadId: string; comparison: MatchComparison } {
  let best: { leadId: string; comparison: MatchComparison } | undefined;
  for (const member of members) {
    const comparison = compareLeads(lead, member.lead, rules);
    if (!best || comparison.score > best.comparison.score || (comparison.score === best.comparison.score && member.leadId < best.leadId)) best = { leadId: member.leadId, comparison };
  }
  if (!best) throw new Error('a cluster has at least one member');
  return best;
}
