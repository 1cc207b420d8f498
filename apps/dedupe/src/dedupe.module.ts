import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { DedupeHttpModule } from './http/dedupe-http.module';
import { LeadEnrichedConsumer } from './consumers/lead-enriched.consumer';
import { CreateDedupeTables1763900000000 } from './persistence/migrations/1763900000000-create-dedupe-tables';

/** lead.enriched -> lead.resolved (new | merged into an existing lead). */
@Module({})
export class DedupeModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: DedupeModule,
      imports: [ServiceRuntimeModule.forRoot({ config, migrations: [CreateDedupeTables1763900000000] }), DedupeHttpModule],
      controllers: [LeadEnrichedConsumer],
    };
  }
}
