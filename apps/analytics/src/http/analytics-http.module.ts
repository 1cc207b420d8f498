import { Module } from '@nestjs/common';
import { AccessModule } from '@leadstream/platform-access';
import { AccountLeadsController } from './account-leads.controller';
import { LeadHistoryController } from './lead-history.controller';

/** The HTTP edge of analytics: every route but /health/* needs an API key (platform-access), checked with ingestion. */
@Module({ imports: [AccessModule.forRoot('analytics')], controllers: [LeadHistoryController, AccountLeadsController] })
export class AnalyticsHttpModule {}
