import { Module } from '@nestjs/common';
import { AccessModule } from '@leadstream/platform-access';
import { LeadScoreController } from './lead-score.controller';
import { RuleSetDryRunController } from './rule-set-dry-run.controller';
import { RuleSetsController } from './rule-sets.controller';

/** The HTTP edge of scoring: every route but /health/* needs an API key (platform-access), checked with ingestion. */
@Module({ imports: [AccessModule.forRoot('scoring')], controllers: [LeadScoreController, RuleSetsController, RuleSetDryRunController] })
export class ScoringHttpModule {}
