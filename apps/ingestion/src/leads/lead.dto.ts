import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// These classes document the bodies for OpenAPI. Validation is done by validateLeadInput with the
// configured IntakeRules (so required fields, disposable domains and lengths are configuration), not by
// class-validator: the handlers take the raw body.

/** Marketing attribution of a lead. Each field may also be sent flat on the lead. */
export class AttributionDto {
  @ApiPropertyOptional({ example: 'newsletter', maxLength: 200 }) utmSource?: string;
  @ApiPropertyOptional({ example: 'email', maxLength: 200 }) utmMedium?: string;
  @ApiPropertyOptional({ example: 'spring-launch', maxLength: 200 }) utmCampaign?: string;
  @ApiPropertyOptional({ maxLength: 200 }) utmTerm?: string;
  @ApiPropertyOptional({ maxLength: 200 }) utmContent?: string;
  @ApiPropertyOptional({ description: 'Referring page; defaults to the Referer header', example: 'https://www.google.com/', maxLength: 2048 })
  referrer?: string;
  @ApiPropertyOptional({ description: 'First page of the visit; UTM values missing above are read from its query string', maxLength: 2048 })
  landingPage?: string;
}

/**
 * One lead. Unknown fields, `__proto__`/`constructor` keys and non-string values are rejected. Every field
 * is optional, but a lead must name someone: an email, a phone, an external id, or a name with a company.
 */
export class LeadDto extends AttributionDto {
  @ApiPropertyOptional({
    example: 'margaret@apollo-guidance.example',
    maxLength: 254,
    description:
      'Trimmed; checked when present. Optional unless the intake rules require it: a lead must name someone, by an email, a phone, ' +
      'an external id, or a name (firstName or lastName) with a company (company or website); one that does not is refused with ' +
      '"names no one: give an email, a phone, an external id, or a name with a company".',
  })
  email?: string;
  @ApiPropertyOptional({ example: 'Margaret', maxLength: 100 }) firstName?: string;
  @ApiPropertyOptional({ example: 'Hamilton', maxLength: 100 }) lastName?: string;
  @ApiPropertyOptional({ example: 'Apollo Guidance', maxLength: 200 }) company?: string;
  @ApiPropertyOptional({ example: 'Director of Software', maxLength: 200 }) title?: string;
  @ApiPropertyOptional({ example: '+1 617 555 0100', maxLength: 40 }) phone?: string;
  @ApiPropertyOptional({ example: 'US', maxLength: 60 }) country?: string;
  @ApiPropertyOptional({ example: 'webinar', maxLength: 100, description: 'Where the lead came from; rejection rates are reported per source' })
  source?: string;
  @ApiPropertyOptional({ example: 'q3-launch', maxLength: 200 }) campaign?: string;
  @ApiPropertyOptional({
    example: 'https://www.apollo-guidance.example/about',
    maxLength: 2048,
    description:
      "The company's website: a host name (acme.com) or an http(s) URL (https://www.acme.com/about), kept as written (trimmed). " +
      'No spaces, no other schemes (ftp:, mailto:), no user name; the host must be a domain name. For a free-mail or disposable ' +
      "address, enrichment takes the company domain from it (unless it is a social, link-shortener or free-mail site).",
  })
  website?: string;
  @ApiPropertyOptional({ type: () => AttributionDto, description: 'Attribution, nested instead of flat (not both for the same field)' })
  attribution?: AttributionDto;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: 200 },
    maxProperties: 10,
    example: { salesforce: '00Q5e00000AbCdE', hubspot: '1234' },
    description:
      "The lead's ids in other systems, by system name: at most 10 systems; a name is 1-40 of a-z, 0-9, '_', '-' " +
      '(lower-cased on arrival, so "Salesforce" is salesforce); each id a string of at most 200 characters, trimmed. ' +
      'A blank id or null counts as absent. Dedupe takes two leads with the same id in the same system for one person.',
  })
  externalIds?: Record<string, string>;
}

export class LeadBatchDto {
  @ApiProperty({ type: () => [LeadDto], maxItems: 1000, minItems: 1, description: 'Up to 1,000 leads' })
  leads!: LeadDto[];
}

export class LeadAcceptedDto {
  @ApiProperty({ format: 'uuid' }) leadId!: string;
}

export class FieldErrorDto {
  @ApiProperty({ example: 'email', description: "'' for a problem of the lead as a whole (it names no one)" }) field!: string;
  @ApiProperty({ example: 'has no @' }) message!: string;
}

export class BadRequestDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({
    type: [String],
    example: ['email: has no @'],
    description: "Each problem as 'field: reason'; a lead that names no one reads 'names no one: give an email, a phone, an external id, or a name with a company'",
  })
  message!: string[];
  @ApiProperty({ type: [String], example: ['email'], description: 'The fields named by the problems (none for a lead that names no one)' }) fields!: string[];
}

export class BatchItemResultDto {
  @ApiProperty({ description: 'Position of the item in the request (0-based)' }) index!: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'Present when the item was accepted' }) leadId?: string;
  @ApiPropertyOptional({ type: () => [FieldErrorDto], description: 'Present when the item was rejected' }) errors?: FieldErrorDto[];
}

export class LeadBatchResultDto {
  @ApiProperty({ type: () => [BatchItemResultDto] }) results!: BatchItemResultDto[];
  @ApiProperty() accepted!: number;
  @ApiProperty() rejected!: number;
}
