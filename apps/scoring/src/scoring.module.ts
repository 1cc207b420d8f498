import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { ScoringHttpModule } from './http/scoring-http.module';
import { LeadResolvedConsumer } from './consumers/lead-resolved.consumer';
import { CreateScoringTables1763900000000 } from './persistence/migrations/1763900000000-create-scoring-tables';
import { DropQualificationCauseIndex1764800000100 } from './persistence/migrations/1764800000100-drop-qualification-cause-index';
import { scoringRuleSetProvider } from './scoring-rule-set.provider';

export const SCORING_MIGRATIONS = [CreateScoringTables1763900000000, DropQualificationCauseIndex1764800000100];

/** lead.resolved, lead.merged, lead.unmerged -> lead.scored (+ lead.qualified on crossing the MQL/SQL thresholds). */
@Module({})
export class ScoringModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: ScoringModule,
      imports: [ServiceRuntimeModule.forRoot({ config, migrations: SCORING_MIGRATIONS }), ScoringHttpModule],
      controllers: [LeadResolvedConsumer],
      providers: [scoringRuleSetProvider],
    };
  }
}
