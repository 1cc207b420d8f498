import { readFileSync } from 'node:fs';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { validateFormDefinition, type FormDefinition } from '@leadstream/domain-intake';

/** Where a form's definition came from: the configuration file or the admin API (a revision of it). */
export type FormOrigin = { readonly kind: 'file'; readonly file: string } | { readonly kind: 'admin'; readonly revision: number };

export interface CatalogedForm {
  readonly form: FormDefinition;
  readonly origin: FormOrigin;
}

/**
 * Forms from the JSON file named by INGESTION_FORMS_FILE (an array of FormDefinition), each checked on
 * load; a file that cannot be read or used stops the service with the reason.
 */
export function loadFormsFile(env: NodeJS.ProcessEnv = process.env): { readonly file?: string; readonly forms: ReadonlyMap<string, FormDefinition> } {
  const file = env['INGESTION_FORMS_FILE'];
  if (file === undefined || file.trim() === '') return { forms: new Map() };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`INGESTION_FORMS_FILE ${file}: cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(raw)) throw new Error(`INGESTION_FORMS_FILE ${file}: expected a JSON array of form definitions`);
  const forms = new Map<string, FormDefinition>();
  raw.forEach((entry: unknown, index) => {
    let form: FormDefinition;
    try {
      form = validateFormDefinition(entry);
    } catch (error) {
      throw new Error(`INGESTION_FORMS_FILE ${file}: [${index}]: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (forms.has(form.formId)) throw new Error(`INGESTION_FORMS_FILE ${file}: [${index}]: form ${form.formId} is defined twice`);
    forms.set(form.formId, form);
  });
  return { file, forms };
}

export class FormStoreUnavailableError extends Error {}
export class ConcurrentFormUpdateError extends Error {}

/**
 * The web-to-lead forms. A form defined through the admin API (table ingestion.form_definition, one
 * row per revision) takes precedence over the file's form of the same id, so an admin can change a
 * form without a redeploy; the file's forms keep working while PostgreSQL is unreachable.
 */
@Injectable()
export class FormCatalog {
  private readonly logger = new Logger(FormCatalog.name);
  private readonly fileForms: ReadonlyMap<string, FormDefinition>;
  private readonly file: string;

  constructor(private readonly dataSource: DataSource) {
    const loaded = loadFormsFile();
    this.fileForms = loaded.forms;
    this.file = loaded.file ?? '';
  }

  async find(formId: string): Promise<CatalogedForm | undefined> {
    const fromFile = this.fileForms.get(formId);
    let rows: { definition: unknown; revision: number }[];
    try {
      rows = (await this.dataSource.query(
        'SELECT definition, revision FROM ingestion.form_definition WHERE form_id = $1 ORDER BY revision DESC LIMIT 1',
        [formId],
      )) as { definition: unknown; revision: number }[];
    } catch (error) {
      if (fromFile !== undefined) return { form: fromFile, origin: { kind: 'file', file: this.file } };
      this.logger.warn(`form ${formId}: the form table cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      throw new FormStoreUnavailableError(`form ${formId} cannot be looked up: the database is unavailable`);
    }
    const row = rows[0];
    if (row !== undefined) return { form: validateFormDefinition(row.definition), origin: { kind: 'admin', revision: row.revision } };
    return fromFile === undefined ? undefined : { form: fromFile, origin: { kind: 'file', file: this.file } };
  }

  /** Stores `form` as the next revision of its id. */
  async put(form: FormDefinition): Promise<number> {
    try {
      const rows = (await this.dataSource.query(
        `INSERT INTO ingestion.form_definition (form_id, revision, definition)
         SELECT $1, COALESCE(MAX(revision), 0) + 1, $2::jsonb FROM ingestion.form_definition WHERE form_id = $1
         RETURNING revision`,
        [form.formId, JSON.stringify(form)],
      )) as { revision: number }[];
      return (rows[0] as { revision: number }).revision;
    } catch (error) {
      if ((error as { code?: unknown }).code === '23505') throw new ConcurrentFormUpdateError(`form ${form.formId} was changed by another request at the same time; retry`);
      throw new FormStoreUnavailableError(`form ${form.formId} cannot be stored: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
