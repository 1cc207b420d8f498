import './instrument';
import { runService } from '@leadstream/platform-service';
import { ScoringModule } from './scoring.module';

void runService('scoring', (config) => ScoringModule.forRoot(config));
