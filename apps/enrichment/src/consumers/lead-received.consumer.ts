import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { reactTo, TOPICS, type EnrichedLead, type EnrichmentReport, type LeadEnriched, type LeadReceived } from '@leadstream/contracts';
import { assignTerritory, enrichLead, type ChainedLookup, type CompanyQuery, type TerritoryTable } from '@leadstream/domain-enrichment';
import type { StageBatch } from '@leadstream/platform-stage';
import { ENRICHMENT_SOURCES, type EnrichmentSources } from '../providers/enrichment-sources.provider';

/**
 * lead.received -> lead.enriched: the lead normalised (enrichLead), its company looked up in the
 * firmographics chain (one lookup per provider for the whole batch, each within its budget), its
 * territory from the territory table, and a report of what was found, from where and what is missing.
 * A provider that is slow or down costs at most its budget and is named in the report; the lead goes
 * on. A lead without email is enriched from what it has (its company looked up by the website's domain
 * or the company name). An email that is given but unreadable throws InvalidEmailError (permanent): the
 * consumer loop dead-letters that event alone and goes on with the rest of the batch; intake never lets
 * such an email through. Enrichment keeps no state of its own; as a stage, a redelivered event yields the
 * enriched event first published (same firmographics, same occurredAt), from the outbox.
 */
@Controller()
export class LeadReceivedConsumer {
  constructor(@Inject(ENRICHMENT_SOURCES) private readonly sources: EnrichmentSources) {}

  @EventPattern(TOPICS.leadReceived)
  async handle(@Payload() batch: StageBatch<LeadReceived>): Promise<LeadEnriched[]> {
    const occurredAt = batch.now.toISOString();
    const leads = batch.events.map(({ event }) => enrichLead(event.data.lead));
    const asked = leads.flatMap((lead, index) => {
      const query = companyQueryOf(lead);
      return query ? [{ index, query }] : [];
    });
    const answers = asked.length === 0 ? [] : await this.sources.firmographics.lookUpMany(asked.map(({ query }) => query));
    const lookups = new Map<number, ChainedLookup>(asked.map(({ index }, position) => [index, answers[position] as ChainedLookup]));
    return batch.events.map(({ event }, index) =>
      reactTo<LeadEnriched>(event, 'enrichment', {
        type: 'lead.enriched',
        data: { lead: withCompanyAndTerritory(leads[index] as EnrichedLead, lookups.get(index), this.sources.territories) },
        occurredAt,
      }),
    );
  }
}

/**
 * What to look the lead's company up by: its company domain and normalised name. None (the report says
 * `skipped`) for a lead with neither: free mail or no email at all, no usable website, no company name.
 */
function companyQueryOf(lead: EnrichedLead): CompanyQuery | undefined {
  if (lead.companyDomain === undefined && lead.companyKey === undefined) return undefined;
  return { domain: lead.companyDomain, nameKey: lead.companyKey };
}

function withCompanyAndTerritory(lead: EnrichedLead, lookup: ChainedLookup | undefined, territories: TerritoryTable): EnrichedLead {
  const result = lookup?.result;
  const company = result?.outcome === 'found' ? result.firmographics : undefined;
  // The lead's own country first; the company's when the lead gave none.
  const { territory, tableVersion } = assignTerritory(territories, lead.country ?? company?.country);
  const failures = (lookup?.attempts ?? []).flatMap((attempt) => (attempt.outcome === 'failed' ? [{ provider: attempt.provider, reason: attempt.reason }] : []));
  const report: EnrichmentReport =
    result === undefined
      ? { firmographics: 'skipped', territoryTable: tableVersion }
      : result.outcome === 'found'
        ? { firmographics: 'found', source: result.provider, matchedBy: result.matchedBy, missing: [...result.missing], territoryTable: tableVersion }
        : { firmographics: result.outcome, territoryTable: tableVersion };
  return {
    ...lead,
    ...(company === undefined ? {} : { firmographics: company }),
    territory,
    enrichment: failures.length > 0 ? { ...report, failures } : report,
  };
}
