import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FormFieldsInOrder1763900410000 implements MigrationInterface {
  name = 'FormFieldsInOrder1763900410000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A jsonb object does not keep its keys in the order written, so a form's `fieldMapping` came back
    // reordered (Email after Country). Definitions now carry `fields`, a list, whose order jsonb keeps.
    // Stored revisions are rewritten to that shape once (in the order jsonb holds them: the order first
    // written is already gone; a new PUT sets it). Each entry gets the name and lead field it had.
    await queryRunner.query(`
      UPDATE ingestion.form_definition
         SET definition = (definition - 'fieldMapping') || jsonb_build_object(
               'fields',
               (SELECT COALESCE(jsonb_agg(jsonb_build_object('name', entry.key, 'field', entry.value) ORDER BY entry.position), '[]'::jsonb)
                  FROM jsonb_each(definition -> 'fieldMapping') WITH ORDINALITY AS entry(key, value, position)))
       WHERE definition ? 'fieldMapping' AND jsonb_typeof(definition -> 'fieldMapping') = 'object'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Back to the object form an older ingestion reads; labels, required marks and consent are dropped.
    await queryRunner.query(`
      UPDATE ingestion.form_definition
         SET definition = (definition - 'fields' - 'consent' - 'submitLabel') || jsonb_build_object(
               'fieldMapping',
               (SELECT COALESCE(jsonb_object_agg(entry ->> 'name', entry -> 'field'), '{}'::jsonb)
                  FROM jsonb_array_elements(definition -> 'fields') AS entry))
       WHERE definition ? 'fields' AND jsonb_typeof(definition -> 'fields') = 'array'`);
  }
}
