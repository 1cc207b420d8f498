import { Module } from '@nestjs/common';
import { loadIntakeRules } from '../leads/intake-rules.provider';
import { CsvImportLocks } from './csv-import.lock';
import { CsvImportRepository } from './csv-import.repository';
import { CsvImportRunner } from './csv-import.runner';
import { IMPORT_INTAKE_RULES, IMPORT_SETTINGS, readImportSettings } from './import-settings';
import { ImportsController } from './imports.controller';

/**
 * CSV imports: POST /v1/imports spools the upload to INGESTION_IMPORT_DIR and answers 202 with its id;
 * CsvImportRunner publishes its rows in the background on the replica holding the import's advisory lock
 * (CsvImportLocks), and every replica's periodic scan takes over imports whose replica stopped or died;
 * GET /v1/imports/:id and /v1/imports/:id/rejected report on it.
 */
@Module({
  controllers: [ImportsController],
  providers: [
    { provide: IMPORT_SETTINGS, useFactory: () => readImportSettings() },
    { provide: IMPORT_INTAKE_RULES, useFactory: () => loadIntakeRules() },
    CsvImportRepository,
    CsvImportLocks,
    CsvImportRunner,
  ],
})
export class ImportsModule {}
