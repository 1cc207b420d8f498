import { type DynamicModule, Module } from '@nestjs/common';
import { batchConsumer } from '@leadstream/platform-kafka';
import { ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { LeadResolvedConsumer } from './consumers/lead-resolved.consumer';
import { CreateScoringTables1763900000000 } from './persistence/migrations/1763900000000-create-scoring-tables';
import { scoringRuleSetProvider } from './scoring-rule-set.provider';

/** lead.resolved -> lead.scored (+ lead.qualified on crossing the MQL/SQL thresholds). */
@Module({})
export class ScoringModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: ScoringModule,
      imports: [ServiceRuntimeModule.forRoot({ config, migrations: [CreateScoringTables1763900000000] })],
      providers: [scoringRuleSetProvider, LeadResolvedConsumer, batchConsumer(LeadResolvedConsumer)],
    };
  }
}
