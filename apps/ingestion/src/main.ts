import './instrument';
import { runService } from '@leadstream/platform-service';
import { IngestionModule } from './ingestion.module';

void runService('ingestion', (config) => IngestionModule.forRoot(config));
