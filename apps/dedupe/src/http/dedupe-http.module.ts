import { Module } from '@nestjs/common';
import { AccessModule } from '@leadstream/platform-access';
import { LeadResolutionController } from './lead-resolution.controller';

/** The HTTP edge of dedupe: every route but /health/* needs an API key (platform-access), checked with ingestion. */
@Module({ imports: [AccessModule.forRoot('dedupe')], controllers: [LeadResolutionController] })
export class DedupeHttpModule {}
