import { BadRequestException, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { isUuid } from '@leadstream/contracts';
import { RequireScope } from '@leadstream/platform-access';

export const DEFAULT_ACCOUNT_PAGE = 100;
export const MAX_ACCOUNT_PAGE = 1000;

const ACCOUNT_ID_PIPE = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException('accountId must be a UUID, e.g. the accountId of GET /v1/leads/:id'),
});

export interface AccountLead {
  leadId: string;
  status: string;
  email: string | null;
  score: number | null;
  grade: string | null;
  owner: { kind: string; id: string | null } | null;
}

export interface AccountLeadsPage {
  accountId: string;
  leads: AccountLead[];
  /** Pass as `after` for the next page; absent on the last page. */
  nextAfter?: string;
}

interface AccountLeadRow {
  lead_id: string;
  status: string;
  email: string | null;
  score: number | null;
  grade: string | null;
  owner_kind: string | null;
  owner_id: string | null;
}

/** The leads of a company's account (lead_state.account_id, set by dedupe): needs the `read` scope. */
@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1/accounts')
@RequireScope('read')
export class AccountLeadsController {
  constructor(private readonly dataSource: DataSource) {}

  /** The surviving leads of the account (merged leads are counted in their survivor), by lead id, paged. */
  @Get(':accountId/leads')
  @ApiOperation({ summary: "The account's surviving leads with status, score, grade and owner, in lead id order, paged by `after`" })
  @ApiParam({ name: 'accountId', format: 'uuid' })
  @ApiQuery({ name: 'limit', required: false, description: `Leads per page, 1 to ${MAX_ACCOUNT_PAGE} (default ${DEFAULT_ACCOUNT_PAGE})` })
  @ApiQuery({ name: 'after', required: false, description: 'The nextAfter of the previous page (a lead id)' })
  @ApiResponse({ status: 400, description: 'accountId or after not a UUID, or limit out of range' })
  @ApiResponse({ status: 404, description: 'no surviving lead belongs to the account' })
  async leads(
    @Param('accountId', ACCOUNT_ID_PIPE) accountId: string,
    @Query('limit') rawLimit?: string,
    @Query('after') after?: string,
  ): Promise<AccountLeadsPage> {
    const limit = pageLimit(rawLimit);
    if (after !== undefined && !isUuid(after)) {
      throw new BadRequestException(`after: must be the nextAfter of an earlier page (a lead id), got ${JSON.stringify(String(after).slice(0, 100))}`);
    }
    // One more than asked tells whether there is a next page.
    const rows: AccountLeadRow[] = await this.dataSource.query(
      `SELECT lead_id, status, email, score, grade, owner_kind, owner_id
         FROM analytics.lead_state
        WHERE account_id = $1 AND merged_into IS NULL AND ($2::uuid IS NULL OR lead_id > $2::uuid)
        ORDER BY lead_id LIMIT $3`,
      [accountId, after ?? null, limit + 1],
    );
    if (rows.length === 0 && after === undefined) throw new NotFoundException(`no leads recorded for account ${accountId}`);
    const page = rows.slice(0, limit);
    return {
      accountId,
      leads: page.map((row) => ({
        leadId: row.lead_id,
        status: row.status,
        email: row.email,
        score: row.score,
        grade: row.grade,
        owner: row.owner_kind ? { kind: row.owner_kind, id: row.owner_id } : null,
      })),
      ...(rows.length > limit ? { nextAfter: (page[page.length - 1] as AccountLeadRow).lead_id } : {}),
    };
  }
}

function pageLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_ACCOUNT_PAGE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ACCOUNT_PAGE) {
    throw new BadRequestException(`limit: must be a whole number from 1 to ${MAX_ACCOUNT_PAGE}, got ${JSON.stringify(String(raw).slice(0, 20))}`);
  }
  return limit;
}
