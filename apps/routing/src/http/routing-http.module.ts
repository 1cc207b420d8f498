import { Module } from '@nestjs/common';
import { AccessModule } from '@leadstream/platform-access';
import { LeadAssignmentController } from './lead-assignment.controller';

/** The HTTP edge of routing: every route but /health/* needs an API key (platform-access), checked with ingestion. */
@Module({ imports: [AccessModule.forRoot('routing')], controllers: [LeadAssignmentController] })
export class RoutingHttpModule {}
