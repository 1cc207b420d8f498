import './instrument';
import { runService } from '@leadstream/platform-service';
import { DedupeModule } from './dedupe.module';

void runService('dedupe', (config) => DedupeModule.forRoot(config));
