import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// Documentation of the form bodies for OpenAPI. A definition is checked by validateFormDefinition
// (@leadstream/domain-intake); a form post is mapped by mapFormSubmission and validated with the intake rules.

export class FormFieldDto {
  @ApiProperty({ example: 'your_email', description: 'The name of the HTML input' }) name!: string;
  @ApiProperty({ example: 'email', description: 'The lead field it fills: email, firstName, lastName, company, title, phone, country, source, campaign, website, utmSource, ..., referrer, landingPage' })
  field!: string;
  @ApiPropertyOptional({ example: 'Work email', description: "What the visitor reads beside the input and in error pages (default: the field's usual name)" })
  label?: string;
  @ApiPropertyOptional({ example: true, description: 'Marked in the snippet and refused when empty; default false, but true for email unless set to false' }) required?: boolean;
}

export class FormConsentDto {
  @ApiProperty({ example: 'I agree that Example Ltd may email me about the webinar.' }) text!: string;
  @ApiPropertyOptional({ example: 'consent', description: 'Name of the checkbox (default consent)' }) name?: string;
  @ApiPropertyOptional({ example: true, description: 'Refuse the post when not ticked (default true)' }) required?: boolean;
}

export class FormDefinitionDto {
  @ApiProperty({ example: 'spring-webinar', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$', description: 'Must equal the :formId of the path (may be left out)' })
  formId!: string;
  @ApiProperty({ example: '2026-11-23' }) version!: string;
  @ApiProperty({
    type: () => [FormFieldDto],
    description: 'The inputs, in the order the snippet shows them; at least one must fill email or phone (a post must name the visitor: by email, phone, or name with company). (The older object form fieldMapping: { "<input name>": "<lead field>" } is still read, in the order written.)',
  })
  fields!: FormFieldDto[];
  @ApiPropertyOptional({ type: () => FormConsentDto, description: 'A consent checkbox; its text and whether it was ticked travel on lead.received as data.consent' })
  consent?: FormConsentDto;
  @ApiPropertyOptional({ example: 'Register', description: 'Text of the submit button (default Send)' })
  submitLabel?: string;
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
  @ApiProperty({ description: 'The form fields of the definition, the consent checkbox, plus utm_source, utm_medium, utm_campaign, utm_term, utm_content, referrer, landing_page', example: 'your_email=ada@example.org&name=Ada&utm_source=ads' })
  fields!: string;
}

export class FormAcceptedDto {
  @ApiProperty({ format: 'uuid' }) leadId!: string;
}
