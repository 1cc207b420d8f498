import './instrument';
import { runService } from '@leadstream/platform-service';
import { createLogger } from '@leadstream/platform-observability';
import { INGESTION_API_DOCS } from './docs/openapi';
import { IngestionModule } from './ingestion.module';
import { readBodyLimit } from './security/body-limit';

let bodyLimit: string;
try {
  bodyLimit = readBodyLimit(process.env);
} catch (error) {
  createLogger('ingestion').error(`ingestion could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

void runService('ingestion', (config) => IngestionModule.forRoot(config), { bodyLimit, apiDocs: INGESTION_API_DOCS });
