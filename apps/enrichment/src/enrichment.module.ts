import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { EnrichmentHttpModule } from './http/enrichment-http.module';
import { LeadReceivedConsumer } from './consumers/lead-received.consumer';
import { ENRICHMENT_MIGRATIONS } from './persistence/migrations';

/** lead.received -> lead.enriched. Stateless today; its schema is there for enrichment caches later. */
@Module({})
export class EnrichmentModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: EnrichmentModule,
      imports: [ServiceRuntimeModule.forRoot({ config, migrations: ENRICHMENT_MIGRATIONS }), EnrichmentHttpModule],
      controllers: [LeadReceivedConsumer],
    };
  }
}
