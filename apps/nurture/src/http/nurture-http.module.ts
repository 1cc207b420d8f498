import { Module } from '@nestjs/common';
import { AccessModule } from '@leadstream/platform-access';
import { LeadEnrolmentsController } from './lead-enrolments.controller';

/** The HTTP edge of nurture: every route but /health/* needs an API key (platform-access), checked with ingestion. */
@Module({ imports: [AccessModule.forRoot('nurture')], controllers: [LeadEnrolmentsController] })
export class NurtureHttpModule {}
