import { CreateSecurityTables1763900000100 } from './1763900000100-create-security-tables';
// Ingestion's migrations, in order. Each feature adds its own file here (one line per migration).
import { CreateFormDefinitions1763900200000 } from './1763900200000-create-form-definitions';
import { CreateCsvImports1763900300000 } from './1763900300000-create-csv-imports';
import { FormFieldsInOrder1763900410000 } from './1763900410000-form-fields-in-order';
import { CsvImportFormat1763900550000 } from './1763900550000-csv-import-format';
import { IdempotencyRequestRoute1763900600000 } from './1763900600000-idempotency-request-route';
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
export const INGESTION_MIGRATIONS: Function[] = [
  CreateSecurityTables1763900000100,
  CreateFormDefinitions1763900200000,
  CreateCsvImports1763900300000,
  FormFieldsInOrder1763900410000,
  CsvImportFormat1763900550000,
  IdempotencyRequestRoute1763900600000,
];
