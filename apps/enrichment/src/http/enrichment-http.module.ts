import { Module } from '@nestjs/common';
import { AccessModule } from '@leadstream/platform-access';
import { EnrichmentPreviewController } from './enrichment-preview.controller';

/** The HTTP edge of enrichment: every route but /health/* needs an API key (platform-access), checked with ingestion. */
@Module({ imports: [AccessModule.forRoot('enrichment')], controllers: [EnrichmentPreviewController] })
export class EnrichmentHttpModule {}
