import './instrument';
import { runService } from '@leadstream/platform-service';
import { EnrichmentModule } from './enrichment.module';

void runService('enrichment', (config) => EnrichmentModule.forRoot(config));
