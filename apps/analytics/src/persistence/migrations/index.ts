// Analytics' migrations, in order (one line per migration).
import { CreateEventLog1763900000000 } from './1763900000000-create-event-log';
import { LeadStateVersion1764900000100 } from './1764900000100-lead-state-version';
import { LeadMergesAndAccounts1765100000200 } from './1765100000200-lead-merges-and-accounts';

export const ANALYTICS_MIGRATIONS = [CreateEventLog1763900000000, LeadStateVersion1764900000100, LeadMergesAndAccounts1765100000200];
