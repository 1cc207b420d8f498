import { Module } from '@nestjs/common';
import { AccessModule } from '@leadstream/platform-access';
import { DuplicatesController } from './duplicates.controller';
import { LeadResolutionController } from './lead-resolution.controller';
import { MergeRequestPublisher } from './merge-request.publisher';

/** The HTTP edge of dedupe: every route but /health/* needs an API key (platform-access), checked with ingestion. */
@Module({ imports: [AccessModule.forRoot('dedupe')], controllers: [LeadResolutionController, DuplicatesController], providers: [MergeRequestPublisher] })
export class DedupeHttpModule {}
