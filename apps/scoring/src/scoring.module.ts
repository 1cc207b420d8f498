import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createLogger } from '@leadstream/platform-observability';
import { ReadinessRegistry, ServiceRuntimeModule, type ServiceConfig } from '@leadstream/platform-service';
import { ScoringHttpModule } from './http/scoring-http.module';
import { LeadResolvedConsumer } from './consumers/lead-resolved.consumer';
import { INITIAL_RULE_SET, initialRuleSetProvider, type InitialRuleSet } from './initial-rule-set.provider';
import { InitialRuleSetSeeder } from './initial-rule-set.seeder';
import { CreateScoringTables1763900000000 } from './persistence/migrations/1763900000000-create-scoring-tables';
import { DropQualificationCauseIndex1764800000100 } from './persistence/migrations/1764800000100-drop-qualification-cause-index';
import { CreateRuleSetTables1766000000000 } from './persistence/migrations/1766000000000-create-rule-set-tables';
import { FractionalScores1766000000100 } from './persistence/migrations/1766000000100-fractional-scores';
import { CreateLeadActivityTables1767000000000 } from './persistence/migrations/1767000000000-create-lead-activity-tables';
import { ActivityRecordedConsumer } from './consumers/activity-recorded.consumer';

export const SCORING_MIGRATIONS = [
  CreateScoringTables1763900000000,
  DropQualificationCauseIndex1764800000100,
  CreateRuleSetTables1766000000000,
  FractionalScores1766000000100,
  CreateLeadActivityTables1767000000000,
];

/**
 * lead.resolved, lead.merged, lead.unmerged and activity.recorded -> lead.scored (+ lead.qualified on
 * crossing the MQL/SQL thresholds), scored with the active rule set and the activities of the lead's cluster; the rule sets are managed through /v1/scoring/rule-sets.
 */
@Module({})
export class ScoringModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: ScoringModule,
      imports: [ServiceRuntimeModule.forRoot({ config, migrations: SCORING_MIGRATIONS }), ScoringHttpModule],
      controllers: [LeadResolvedConsumer, ActivityRecordedConsumer],
      providers: [
        initialRuleSetProvider,
        {
          provide: InitialRuleSetSeeder,
          inject: [DataSource, ReadinessRegistry, INITIAL_RULE_SET],
          useFactory: (dataSource: DataSource, readiness: ReadinessRegistry, initial: InitialRuleSet) =>
            new InitialRuleSetSeeder(dataSource, readiness, initial, createLogger(config.name, { level: config.logLevel })),
        },
      ],
    };
  }
}
