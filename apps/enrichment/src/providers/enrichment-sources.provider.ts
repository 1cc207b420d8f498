import type { Provider } from '@nestjs/common';
import type { TerritoryTable } from '@leadstream/domain-enrichment';
import { DataSource } from 'typeorm';
import type { FirmographicsChain } from './firmographics-chain';
import { createFirmographicsChain } from './firmographics-providers';
import { readTerritoryTable } from './territory-config';

/** What the lead.received consumer looks leads up in besides the lead itself. */
export interface EnrichmentSources {
  readonly firmographics: FirmographicsChain;
  readonly territories: TerritoryTable;
}

export const ENRICHMENT_SOURCES = Symbol('ENRICHMENT_SOURCES');

/**
 * The firmographics chain on the service's own database (the reference dataset; then the HTTP provider
 * when ENRICHMENT_HTTP_URL is set) and the territory table. Both are read at start: a bad setting stops
 * the service with the variable named instead of enriching every lead wrongly.
 */
export const enrichmentSourcesProvider: Provider = {
  provide: ENRICHMENT_SOURCES,
  inject: [DataSource],
  useFactory: (dataSource: DataSource): EnrichmentSources => ({ firmographics: createFirmographicsChain(dataSource), territories: readTerritoryTable() }),
};
