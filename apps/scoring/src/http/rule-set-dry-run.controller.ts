import { BadRequestException, ConflictException, Controller, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProperty, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { scoreLead, validateRuleSet, type ScoringRuleSet } from '@leadstream/domain-scoring';
import { RequireScope } from '@leadstream/platform-access';
import { DataSource, type EntityManager } from 'typeorm';
import { leadActivityRepository } from '../persistence/lead-activity.repository';
import { ruleSetRepository } from '../persistence/rule-set.repository';
import { survivorRepository } from '../persistence/survivor.repository';

/** Survivors read (with their clusters' activities) per query: memory stays flat however many leads scoring stores. */
export const DRY_RUN_PAGE_SIZE = 1000;
export const DEFAULT_CHANGE_LIMIT = 100;
export const MAX_CHANGE_LIMIT = 1000;

type GradeCount = Record<'A' | 'B' | 'C' | 'D', number>;

class GradeCountView {
  @ApiProperty() A!: number;
  @ApiProperty() B!: number;
  @ApiProperty() C!: number;
  @ApiProperty() D!: number;
}

class DistributionView {
  @ApiProperty({ type: GradeCountView, description: 'the grades stored now (leads without a stored score are not counted)' }) current!: GradeCount;
  @ApiProperty({ type: GradeCountView, description: 'the grades under the version tried' }) proposed!: GradeCount;
}

class ScoreGradeView {
  @ApiProperty({ example: 55 }) score!: number;
  @ApiProperty({ example: 'B' }) grade!: string;
}

class GradeChangeView {
  @ApiProperty({ format: 'uuid', description: 'the surviving lead' }) leadId!: string;
  @ApiProperty({ type: ScoreGradeView, nullable: true, description: 'its stored score; null when none is stored' }) from!: ScoreGradeView | null;
  @ApiProperty({ type: ScoreGradeView }) to!: ScoreGradeView;
}

class DryRunView {
  @ApiProperty({ example: '2', description: 'the version tried' }) version!: string;
  @ApiProperty({ type: String, nullable: true, example: '1' }) activeVersion!: string | null;
  @ApiProperty({ description: 'surviving leads scored' }) leads!: number;
  @ApiProperty({ type: DistributionView }) distribution!: DistributionView;
  @ApiProperty({ description: 'leads whose grade would change (a lead without a stored score counts as changed)' }) changedGrade!: number;
  @ApiProperty({ type: [GradeChangeView], description: 'the first `limit` of them, in lead-id order' }) changes!: GradeChangeView[];
  @ApiProperty({ description: 'true when changedGrade is more than the changes listed' }) truncated!: boolean;
  @ApiProperty({ example: 840 }) tookMs!: number;
}

export type DryRunResult = Omit<DryRunView, 'version' | 'activeVersion' | 'tookMs'>;

function noGrades(): GradeCount {
  return { A: 0, B: 0, C: 0, D: 0 };
}

function count(counts: GradeCount, grade: string): void {
  if (grade in counts) counts[grade as keyof GradeCount] += 1;
}

/**
 * Scores every surviving lead scoring stores (its record and its cluster's activities, at `now`) under
 * `ruleSet` and compares with its stored score, page by page (keyset on lead_id). Reads only: call it
 * in a read-only transaction so every page sees one snapshot.
 */
export async function dryRunRuleSet(manager: EntityManager, ruleSet: ScoringRuleSet, now: Date, limit: number, pageSize = DRY_RUN_PAGE_SIZE): Promise<DryRunResult> {
  const current = noGrades();
  const proposed = noGrades();
  const changes: GradeChangeView[] = [];
  let leads = 0;
  let changedGrade = 0;
  let after: string | undefined;
  for (;;) {
    const page = await survivorRepository.page(manager, after, pageSize);
    if (page.length === 0) break;
    const activities = await leadActivityRepository.loadClusterActivities(manager, page.map((survivor) => survivor.leadId));
    for (const survivor of page) {
      const { score, grade } = scoreLead(survivor.record, ruleSet, activities.get(survivor.leadId) ?? [], now);
      leads += 1;
      count(proposed, grade);
      if (survivor.current) count(current, survivor.current.grade);
      if (survivor.current?.grade === grade) continue;
      changedGrade += 1;
      if (changes.length < limit) changes.push({ leadId: survivor.leadId, from: survivor.current, to: { score, grade } });
    }
    after = page[page.length - 1]?.leadId;
    if (page.length < pageSize) break;
  }
  return { leads, distribution: { current, proposed }, changedGrade, changes, truncated: changedGrade > changes.length };
}

function limitOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_CHANGE_LIMIT;
  const limit = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= MAX_CHANGE_LIMIT)) {
    throw new BadRequestException(`limit: must be a whole number from 1 to ${MAX_CHANGE_LIMIT}, got ${JSON.stringify(raw.slice(0, 20))}`);
  }
  return limit;
}

/**
 * Tries a stored rule-set version on every lead scoring stores before it is activated: the grade
 * distribution now and under that version, and the leads whose grade would change. Nothing is written
 * and nothing is published, so the read scope suffices (as for the other reads of rule sets).
 */
@ApiTags('scoring rule sets')
@ApiBearerAuth()
@Controller('v1/scoring/rule-sets')
export class RuleSetDryRunController {
  constructor(private readonly dataSource: DataSource) {}

  @Post(':version/dry-run')
  @RequireScope('read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Score every surviving lead with this version (now, with its activities) and compare with the stored grades; writes and publishes nothing' })
  @ApiParam({ name: 'version', example: '2' })
  @ApiQuery({ name: 'limit', required: false, description: `changes listed, 1 to ${MAX_CHANGE_LIMIT} (default ${DEFAULT_CHANGE_LIMIT})` })
  @ApiResponse({ status: 200, type: DryRunView })
  @ApiResponse({ status: 400, description: 'limit out of range' })
  @ApiResponse({ status: 404, description: 'no such version' })
  async dryRun(@Param('version') version: string, @Query('limit') rawLimit?: string): Promise<DryRunView> {
    const limit = limitOf(rawLimit);
    const started = performance.now();
    const now = new Date();
    // One read-only snapshot for every page: a lead scored meanwhile is compared as it was at the start.
    return this.dataSource.transaction('REPEATABLE READ', async (transaction) => {
      await transaction.query('SET TRANSACTION READ ONLY');
      const stored = await ruleSetRepository.get(transaction, version);
      if (!stored) throw new NotFoundException(`no rule set version ${version}`);
      let ruleSet: ScoringRuleSet;
      try {
        ruleSet = validateRuleSet(stored.body);
      } catch (error) {
        throw new ConflictException(`rule set version ${version} no longer validates: ${error instanceof Error ? error.message : String(error)}`);
      }
      const active = await ruleSetRepository.active(transaction, version);
      const result = await dryRunRuleSet(transaction, ruleSet, now, limit);
      return { version, activeVersion: active?.version ?? null, ...result, tookMs: Math.round(performance.now() - started) };
    });
  }
}
