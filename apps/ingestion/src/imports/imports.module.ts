import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { CsvImportLocks } from './csv-import.lock';
import { CsvImportRepository } from './csv-import.repository';
import { CsvImportRunner } from './csv-import.runner';
import { IMPORT_SETTINGS, readImportSettings } from './import-settings';
import { ImportsController } from './imports.controller';

/**
 * CSV imports: POST /v1/imports spools the upload to INGESTION_IMPORT_DIR and answers 202 with its id;
 * CsvImportRunner publishes its rows in the background on the replica holding the import's advisory lock
 * (CsvImportLocks), and every replica's periodic scan takes over imports whose replica stopped or died;
 * GET /v1/imports/:id and /v1/imports/:id/rejected report on it.
 */
@Module({
  // The intake rules every channel validates with (INGESTION_RULES_FILE): rows and the header's required columns.
  imports: [LeadsModule],
  controllers: [ImportsController],
  providers: [
    { provide: IMPORT_SETTINGS, useFactory: () => readImportSettings() },
    CsvImportRepository,
    CsvImportLocks,
    CsvImportRunner,
  ],
})
export class ImportsModule {}
