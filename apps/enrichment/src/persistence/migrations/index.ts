// Enrichment's migrations, in order (one line per migration).
import { CompanyReference1765900000000 } from './1765900000000-company-reference';

export const ENRICHMENT_MIGRATIONS = [CompanyReference1765900000000];
