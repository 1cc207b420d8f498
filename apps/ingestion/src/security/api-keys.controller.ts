import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, ServiceUnavailableException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { ApiKeyStore, type ApiKeyRecord } from './api-key.store';
import { RedactOnReplay } from './idempotency.interceptor';
import { API_KEY_SCOPES, type ApiKeyScope, RequireScope } from './scopes.decorator';

export class CreateApiKeyDto {
  @ApiProperty({ description: 'What the key is for, e.g. "website forms" or "CRM sync"', maxLength: 100, example: 'CRM sync' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ description: "What the key may do; 'admin' implies every scope", enum: API_KEY_SCOPES, isArray: true, example: ['ingest'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsIn(API_KEY_SCOPES, { each: true, message: `each scope must be one of: ${API_KEY_SCOPES.join(', ')}` })
  scopes!: ApiKeyScope[];
}

class ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes!: ApiKeyScope[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
}

class CreatedApiKeyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The secret: shown in this answer only, never again. Send it as Authorization: Bearer <key>.', example: 'lsk_3q2-7wEXAMPLEonlyR0Hx9tLQ1mXkz8aP4vB6cD5eFg' })
  key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes!: ApiKeyScope[];
}

/** Managing API keys; every route needs an admin key. */
@ApiTags('api keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
@RequireScope('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyStore) {}

  @Post()
  @HttpCode(201)
  @RedactOnReplay('key')
  @ApiOperation({ summary: 'Create an API key; its secret is in this answer only (a retry with the same Idempotency-Key gets it redacted)' })
  @ApiResponse({ status: 201, type: CreatedApiKeyView })
  @ApiResponse({ status: 400, description: 'name or scopes missing or invalid' })
  async create(@Body() body: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    const { key, secret } = await this.storeCall(() => this.keys.create(body.name, body.scopes));
    return { id: key.id, key: secret, name: key.name, scopes: [...key.scopes] };
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (never their secrets)' })
  @ApiResponse({ status: 200, type: ApiKeyView, isArray: true })
  async list(): Promise<ApiKeyRecord[]> {
    return this.storeCall(() => this.keys.list());
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key (other ingestion replicas stop accepting it within the key cache time, 30 s by default)' })
  @ApiResponse({ status: 200, type: ApiKeyView })
  @ApiResponse({ status: 404, description: 'no such key' })
  async revoke(@Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyRecord> {
    const key = await this.storeCall(() => this.keys.revoke(id));
    if (!key) throw new NotFoundException(`no API key with id ${id}`);
    return key;
  }

  private async storeCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new ServiceUnavailableException(`the key store is unavailable (${error instanceof Error ? error.message : String(error)}); retry later`);
    }
  }
}
