import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { EnrichmentHttpModule } from './http/enrichment-http.module';
import { LeadReceivedConsumer } from './consumers/lead-received.consumer';
import { ENRICHMENT_MIGRATIONS } from './persistence/migrations';
import { enrichmentSourcesProvider } from './providers/enrichment-sources.provider';

/** lead.received -> lead.enriched: normalisation, firmographics (reference dataset in its schema, an optional HTTP provider) and territory. */
@Module({})
export class EnrichmentModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: EnrichmentModule,
      imports: [ServiceRuntimeModule.forRoot({ config, migrations: ENRICHMENT_MIGRATIONS }), EnrichmentHttpModule],
      controllers: [LeadReceivedConsumer],
      providers: [enrichmentSourcesProvider],
    };
  }
}
