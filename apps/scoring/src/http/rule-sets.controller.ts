import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DEMO_RULE_SET, validateRuleSet, type ScoringRuleSet } from '@leadstream/domain-scoring';
import { RequireScope, type AuthenticatedRequest } from '@leadstream/platform-access';
import { ruleSetRepository, type RuleSetVersion } from '../persistence/rule-set.repository';

class RuleSetCreatedView {
  @ApiProperty({ example: '2' }) version!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'false for a new version: activate it to score with it' }) active!: boolean;
}

class RuleSetVersionView {
  @ApiProperty({ example: '2' }) version!: string;
  @ApiProperty({ type: String, nullable: true, description: "the rule set's own description, when it has one" }) description!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, description: "the API key that stored it ('<name> (<id>)'); null for the initial set stored at start-up" }) createdBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'its latest activation; null if never active' }) activatedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the API key of its latest activation; null for the initial set' }) activatedBy!: string | null;
  @ApiProperty() active!: boolean;
}

class RuleSetListView {
  @ApiProperty({ type: [RuleSetVersionView], description: 'newest first' }) ruleSets!: RuleSetVersionView[];
}

class RuleSetView extends RuleSetVersionView {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the rule set as stored (as validated)', example: DEMO_RULE_SET }) ruleSet!: unknown;
}

class ActivationView {
  @ApiProperty({ example: '2' }) version!: string;
  @ApiProperty({ format: 'date-time', description: 'when this version became active (for a repeated activation: the original time)' }) activatedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the version active before this request; the version itself when it already was active' }) previousVersion!: string | null;
}

interface StatusSink {
  status(code: number): unknown;
}

function requesterOf(request: AuthenticatedRequest): string | null {
  return request.apiKey ? `${request.apiKey.name} (${request.apiKey.id})` : null;
}

function versionView(stored: RuleSetVersion): RuleSetVersionView {
  return {
    version: stored.version,
    description: stored.description,
    createdAt: stored.createdAt.toISOString(),
    createdBy: stored.createdBy,
    activatedAt: stored.activatedAt?.toISOString() ?? null,
    activatedBy: stored.activatedBy,
    active: stored.active,
  };
}

/** The rule set, or a 400 naming the path and the problem validateRuleSet found. */
function validated(body: unknown): ScoringRuleSet {
  try {
    return validateRuleSet(body);
  } catch (error) {
    const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown };
    if (!(error instanceof Error) || code !== 'SCORING.INVALID_RULE_SET' || typeof path !== 'string') throw error;
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', code, message: [error.message], fields: [path === '' ? '(body)' : path] });
  }
}

/**
 * Scoring rule sets as versioned data (scoring.rule_set): add a version, read them, activate one. The
 * consumer scores every batch with the version active when it reads it, so an activation reaches every
 * replica at its next batch. A version never changes once stored.
 */
@ApiTags('scoring rule sets')
@ApiBearerAuth()
@Controller('v1/scoring/rule-sets')
export class RuleSetsController {
  constructor(private readonly dataSource: DataSource) {}

  @Post()
  @RequireScope('admin')
  @ApiOperation({ summary: 'Store a new rule-set version (validated; not active until activated)' })
  @ApiBody({ description: 'a rule set, in the format of libs/domain/scoring/README.md', schema: { type: 'object', example: DEMO_RULE_SET } })
  @ApiResponse({ status: 201, type: RuleSetCreatedView, description: 'stored' })
  @ApiResponse({ status: 200, type: RuleSetCreatedView, description: 'this version is stored already with this same rule set: nothing changed' })
  @ApiResponse({ status: 400, description: 'not a valid rule set: `message` says what is wrong where, `fields` holds the path (e.g. rules[2].when.op)' })
  @ApiResponse({ status: 409, description: 'this version is stored with a different rule set; a version never changes, store a new one' })
  async create(@Body() body: unknown, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: StatusSink): Promise<RuleSetCreatedView> {
    const ruleSet = validated(body);
    const outcome = await ruleSetRepository.create(this.dataSource.manager, ruleSet, requesterOf(request));
    switch (outcome.kind) {
      case 'created':
        return { version: ruleSet.version, createdAt: outcome.createdAt.toISOString(), active: false };
      case 'unchanged':
        response.status(HttpStatus.OK);
        return { version: ruleSet.version, createdAt: outcome.stored.createdAt.toISOString(), active: outcome.stored.active };
      case 'conflict':
        throw new ConflictException(
          `rule set version ${ruleSet.version} is stored already (at ${outcome.stored.createdAt.toISOString()}) with different rules; a version never changes: store this one under a new version`,
        );
      default: {
        const unhandled: never = outcome;
        throw new Error(`unhandled outcome ${JSON.stringify(unhandled)}`);
      }
    }
  }

  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: 'Every stored version, newest first, and which one is active' })
  @ApiResponse({ status: 200, type: RuleSetListView })
  async list(): Promise<RuleSetListView> {
    return { ruleSets: (await ruleSetRepository.list(this.dataSource.manager)).map(versionView) };
  }

  @Get(':version')
  @RequireScope('read')
  @ApiOperation({ summary: 'One version: the rule set as stored, with when and by whom it was stored and activated' })
  @ApiParam({ name: 'version', example: '2' })
  @ApiResponse({ status: 200, type: RuleSetView })
  @ApiResponse({ status: 404, description: 'no such version' })
  async get(@Param('version') version: string): Promise<RuleSetView> {
    const stored = await ruleSetRepository.get(this.dataSource.manager, version);
    if (!stored) throw new NotFoundException(`no rule set version ${version}`);
    return { ...versionView(stored), ruleSet: stored.body };
  }

  @Post(':version/activate')
  @RequireScope('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Score with this version from now on (every replica from its next batch); activating the active version changes nothing' })
  @ApiParam({ name: 'version', example: '2' })
  @ApiResponse({ status: 200, type: ActivationView })
  @ApiResponse({ status: 404, description: 'no such version' })
  async activate(@Param('version') version: string, @Req() request: AuthenticatedRequest): Promise<ActivationView> {
    const outcome = await this.dataSource.transaction((transaction) => ruleSetRepository.activate(transaction, version, requesterOf(request)));
    if (outcome.kind === 'unknown') throw new NotFoundException(`no rule set version ${version}`);
    return { version: outcome.version, activatedAt: outcome.activatedAt.toISOString(), previousVersion: outcome.previousVersion };
  }
}
