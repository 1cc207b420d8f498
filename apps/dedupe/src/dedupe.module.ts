import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { DedupeHttpModule } from './http/dedupe-http.module';
import { LeadEnrichedConsumer } from './consumers/lead-enriched.consumer';
import { MergeRequestsConsumer } from './consumers/merge-requests.consumer';
import { matchRulesProvider } from './match-rules.provider';
import { CreateDedupeTables1763900000000 } from './persistence/migrations/1763900000000-create-dedupe-tables';
import { LeadClusters1765100000000 } from './persistence/migrations/1765100000000-lead-clusters';

export const DEDUPE_MIGRATIONS = [CreateDedupeTables1763900000000, LeadClusters1765100000000];

/**
 * lead.enriched -> lead.resolved (new | merged into a known cluster) and lead.merged (known leads joined);
 * merge and unmerge requests from the HTTP API -> lead.merged / lead.unmerged.
 */
@Module({})
export class DedupeModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: DedupeModule,
      global: true,
      imports: [ServiceRuntimeModule.forRoot({ config, migrations: DEDUPE_MIGRATIONS }), DedupeHttpModule],
      controllers: [LeadEnrichedConsumer, MergeRequestsConsumer],
      providers: [matchRulesProvider],
      exports: [matchRulesProvider],
    };
  }
}
