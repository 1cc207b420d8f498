import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength, ValidateBy, ValidateNested, type ValidationArguments } from 'class-validator';
import { EXTERNAL_SYSTEM_NAME, MAX_EXTERNAL_IDS } from '@leadstream/contracts';

const MAX_EXTERNAL_ID = 200;

/** Why `externalIds` is not what lead.received carries (system names as ingestion accepts them, before lower-casing), or `undefined`. */
function externalIdsProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of ids by system name';
  const entries = Object.entries(value);
  if (entries.length > MAX_EXTERNAL_IDS) return `has ${entries.length} systems; the most is ${MAX_EXTERNAL_IDS}`;
  for (const [system, id] of entries) {
    if (!EXTERNAL_SYSTEM_NAME.test(system.trim().toLowerCase())) return `has the system name ${JSON.stringify(system)}: 1-40 of a-z, 0-9, '_', '-'`;
    if (typeof id !== 'string') return `${system} must be a string`;
    if (id.length > MAX_EXTERNAL_ID) return `${system} is longer than ${MAX_EXTERNAL_ID} characters`;
  }
  return undefined;
}

const AreExternalIds = (): PropertyDecorator =>
  ValidateBy({
    name: 'areExternalIds',
    validator: {
      validate: (value: unknown) => externalIdsProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => externalIdsProblem(args?.value) ?? 'externalIds is invalid',
    },
  });

/** Attribution as a lead carries it; passed through enrichment unchanged. */
export class AttributionDto {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) utmSource?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) utmMedium?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) utmCampaign?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) utmTerm?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) utmContent?: string;
  @ApiPropertyOptional({ maxLength: 2048 }) @IsOptional() @IsString() @MaxLength(2048) referrer?: string;
  @ApiPropertyOptional({ maxLength: 2048 }) @IsOptional() @IsString() @MaxLength(2048) landingPage?: string;
}

/**
 * A lead as it would arrive on lead.received (the same fields and limits as ingestion's). Every field is
 * optional, but the lead must name someone (`namesSomeone`): the controller refuses one that does not.
 */
export class EnrichmentPreviewDto {
  @ApiPropertyOptional({ example: '  Margaret@Apollo-Guidance.example ', maxLength: 254, description: 'Optional: a lead may be known by its phone, an external id, or a name with a company instead' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email?: string;
  @ApiPropertyOptional({ example: 'Margaret', maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) firstName?: string;
  @ApiPropertyOptional({ example: 'Hamilton', maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) lastName?: string;
  @ApiPropertyOptional({ example: 'apollo guidance inc.', maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) company?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) title?: string;
  @ApiPropertyOptional({ example: '617 555 0100', maxLength: 40 }) @IsOptional() @IsString() @MaxLength(40) phone?: string;
  @ApiPropertyOptional({ example: 'United States', maxLength: 60 }) @IsOptional() @IsString() @MaxLength(60) country?: string;
  @ApiPropertyOptional({ example: 'Webinar', maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) source?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) campaign?: string;
  @ApiPropertyOptional({ example: 'https://www.apollo-guidance.example/about', maxLength: 2048, description: "The company's website; for a free-mail address the company domain comes from it" })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  website?: string;
  @ApiPropertyOptional({ type: () => AttributionDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AttributionDto)
  attribution?: AttributionDto;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: MAX_EXTERNAL_ID },
    maxProperties: MAX_EXTERNAL_IDS,
    example: { salesforce: '00Q5e00000AbCdE' },
    description: "The lead's ids in other systems, by system name; enough on its own to name the lead",
  })
  @IsOptional()
  @AreExternalIds()
  externalIds?: Record<string, string>;
}
