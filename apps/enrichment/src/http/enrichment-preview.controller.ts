import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { NAMES_NO_ONE, namesSomeone, type EnrichedLead, type LeadFields } from '@leadstream/contracts';
import { enrichLead, InvalidEmailError } from '@leadstream/domain-enrichment';
import { RequireScope } from '@leadstream/platform-access';
import { EnrichmentPreviewDto } from './enrichment-preview.dto';

/**
 * What enrichment would make of a lead, computed by the same pure enrichLead the consumer runs; nothing
 * is stored or published. For whoever maps a source's fields and wants to see the cleaned result first.
 */
@ApiTags('enrichment')
@ApiBearerAuth()
@Controller('v1/enrichment')
@RequireScope('ingest')
export class EnrichmentPreviewController {
  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enrich a posted lead without storing or publishing anything: the lead.enriched data it would give' })
  @ApiResponse({ status: 200, description: 'The enriched lead (email normalised, free/disposable flags, domains, names split and re-cased, company key, seniority and department, E.164 phone with the typed form, ISO country...)' })
  @ApiResponse({ status: 400, description: 'a field is invalid, the email is not an address, or the lead names no one (no email, phone, external id, or name with a company)' })
  preview(@Body() lead: EnrichmentPreviewDto): EnrichedLead {
    // lead.received refuses such a lead (parseEvent), so enrichment never sees one: say so rather than preview it.
    if (!namesSomeone(lead)) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [NAMES_NO_ONE], fields: ['email', 'phone', 'externalIds', 'firstName', 'lastName', 'company', 'website'] });
    }
    try {
      return enrichLead(lead as LeadFields);
    } catch (error) {
      if (error instanceof InvalidEmailError) {
        throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`email: ${error.message}`], fields: ['email'] });
      }
      throw error;
    }
  }
}
