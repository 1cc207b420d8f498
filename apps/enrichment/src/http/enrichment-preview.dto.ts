import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';

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

/** A lead as it would arrive on lead.received (the same fields and limits as ingestion's). */
export class EnrichmentPreviewDto {
  @ApiProperty({ example: '  Margaret@Apollo-Guidance.example ', maxLength: 254 }) @IsString() @IsNotEmpty() @MaxLength(254) email!: string;
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
}
