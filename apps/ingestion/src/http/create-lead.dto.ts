import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Transform } from 'class-transformer';
import type { LeadFields } from '@leadstream/contracts';

/** Surrounding whitespace is noise from forms and spreadsheets, never meaning: trim before validating. */
const Trim = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** One lead as posted to `POST /v1/leads`. Unknown fields are rejected by the global ValidationPipe. */
export class CreateLeadDto {
  @Trim()
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be a valid email address' })
  email!: string;

  @Trim() @IsOptional() @IsString() @MaxLength(100) firstName?: string;
  @Trim() @IsOptional() @IsString() @MaxLength(100) lastName?: string;
  @Trim() @IsOptional() @IsString() @MaxLength(200) company?: string;
  @Trim() @IsOptional() @IsString() @MaxLength(200) title?: string;

  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(/^[+()\-.\s\d]{4,40}$/, { message: 'phone may contain only digits, spaces, +, -, ., ( and )' })
  phone?: string;

  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(60)
  country?: string;

  @Trim() @IsOptional() @IsString() @MaxLength(100) source?: string;
  @Trim() @IsOptional() @IsString() @MaxLength(200) campaign?: string;
}

export function toLeadFields(dto: CreateLeadDto): LeadFields {
  const lead: LeadFields = { email: dto.email };
  const optional = ['firstName', 'lastName', 'company', 'title', 'phone', 'country', 'source', 'campaign'] as const;
  const target = lead as unknown as Record<string, string>;
  for (const field of optional) {
    const value = dto[field];
    if (value !== undefined && value !== '') target[field] = value;
  }
  return lead;
}
