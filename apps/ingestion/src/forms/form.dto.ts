import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// Documentation of the form bodies for OpenAPI. A definition is checked by validateFormDefinition
// (@leadstream/domain-intake); a form post is mapped by mapFormSubmission and validated with the intake rules.

export class FormDefinitionDto {
  @ApiProperty({ example: 'spring-webinar', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$', description: 'Must equal the :formId of the path (may be left out)' })
  formId!: string;
  @ApiProperty({ example: '2026-11-23' }) version!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { your_email: 'email', name: 'firstName', org: 'company' },
    description: 'HTML input name -> lead field (email, firstName, ..., utmSource, referrer, landingPage); must fill email',
  })
  fieldMapping!: Record<string, string>;
  @ApiPropertyOptional({ example: 'https://www.example.com/thank-you', description: 'Thank-you page the browser is sent to (303)' })
  redirectUrl?: string;
  @ApiProperty({ type: [String], example: ['https://www.example.com'], description: 'Origins allowed to post, or "*"' })
  allowedOrigins!: string[];
  @ApiPropertyOptional({ example: 'website', description: 'A field hidden from people; a post that fills it is dropped silently' })
  honeypotField?: string;
  @ApiPropertyOptional({ example: 'webinar', description: 'Lead source when the post carries none' }) source?: string;
  @ApiPropertyOptional({ example: 'spring-2026', description: 'Lead campaign when the post carries none' }) campaign?: string;
}

export class StoredFormDto {
  @ApiProperty({ type: () => FormDefinitionDto }) form!: FormDefinitionDto;
  @ApiProperty({ enum: ['file', 'admin'], description: 'file: INGESTION_FORMS_FILE; admin: stored through PUT' }) origin!: string;
  @ApiPropertyOptional({ description: 'Revision of an admin-defined form (1, 2, ...)' }) revision?: number;
}

export class FormPostDto {
  @ApiProperty({ description: 'The form fields named in fieldMapping, plus utm_source, utm_medium, utm_campaign, utm_term, utm_content, referrer, landing_page', example: 'your_email=ada@example.org&name=Ada&utm_source=ads' })
  fields!: string;
}

export class FormAcceptedDto {
  @ApiProperty({ format: 'uuid' }) leadId!: string;
}
