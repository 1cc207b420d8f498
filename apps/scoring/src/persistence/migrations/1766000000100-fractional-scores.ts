import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scores with decimals: a rule set stored through the API may give fractional points, and engagement
 * points decay (the engine rounds to two decimals). In an integer column such a score failed the batch
 * with a data exception, which is permanent: its events went to the dead-letter topic. double precision
 * holds the rounded value and reads back as a JavaScript number.
 */
export class FractionalScores1766000000100 implements MigrationInterface {
  name = 'FractionalScores1766000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE scoring.lead_score ALTER COLUMN score TYPE double precision`);
    await queryRunner.query(`ALTER TABLE scoring.qualification ALTER COLUMN score TYPE double precision`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE scoring.qualification ALTER COLUMN score TYPE integer USING round(score)`);
    await queryRunner.query(`ALTER TABLE scoring.lead_score ALTER COLUMN score TYPE integer USING round(score)`);
  }
}
