import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Req, ServiceUnavailableException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, ValidateBy, type ValidationArguments } from 'class-validator';
import { Transform } from 'class-transformer';
import { API_KEY_SCOPES, FreshKeyCheck, RequireScope, type ApiKeyRecord, type ApiKeyScope, type AuthenticatedRequest } from '@leadstream/platform-access';
import { ApiKeyStore } from './api-key.store';
import { RedactOnReplay } from './idempotency.interceptor';

export const MAX_API_KEY_NAME_LENGTH = 100;

/**
 * Why `value` is not a key name, or undefined when it is one. One reason, so a missing name gets one
 * message; the validation pipe puts the field in front (`name: required: ...`).
 */
export function apiKeyNameProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'required: what the key is for, e.g. "CRM sync"';
  if (typeof value !== 'string') return `must be text, e.g. "CRM sync", not ${Array.isArray(value) ? 'a list' : typeof value}`;
  if (value === '') return 'must not be blank: say what the key is for, e.g. "CRM sync"';
  if (value.length > MAX_API_KEY_NAME_LENGTH) return `${value.length} characters long; the most is ${MAX_API_KEY_NAME_LENGTH}`;
  return undefined;
}

/** One constraint instead of IsString + IsNotEmpty + MaxLength, each of which would add its own message. */
const IsApiKeyName = (): PropertyDecorator =>
  ValidateBy({
    name: 'isApiKeyName',
    validator: {
      validate: (value: unknown) => apiKeyNameProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => apiKeyNameProblem(args?.value) ?? 'name is invalid',
    },
  });

export class CreateApiKeyDto {
  @ApiProperty({ description: 'What the key is for, e.g. "website forms" or "CRM sync"', maxLength: MAX_API_KEY_NAME_LENGTH, example: 'CRM sync' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsApiKeyName()
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
  @ApiOperation({ summary: 'Revoke an API key (other replicas and services stop accepting it within their key cache time, API_KEY_CACHE_MS, 30 s by default)' })
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

/**
 * The key a request is made with, checked against the key table (never a cached verdict): how every
 * other service verifies keys (docs/adr/0011-api-keys-on-every-service.md). Any valid key may ask
 * about itself; an unknown or revoked one gets the guard's 401.
 */
@ApiTags('api keys')
@ApiBearerAuth()
@Controller('v1/api-keys/self')
export class ApiKeyIntrospectionController {
  @Get()
  @FreshKeyCheck()
  @ApiOperation({ summary: 'Describe the API key this request is made with (any scope); the other services ask this to verify keys' })
  @ApiResponse({ status: 200, type: ApiKeyView })
  @ApiResponse({ status: 401, description: 'no key, or an unknown or revoked one' })
  self(@Req() request: AuthenticatedRequest): ApiKeyRecord {
    // The guard has just checked the key and left it here; a route without it would not be reached.
    if (!request.apiKey) throw new ServiceUnavailableException('the API key guard did not run for this route');
    return request.apiKey;
  }
}
