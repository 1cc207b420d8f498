import { Injectable, Module, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { accessProviders, type ApiKeyScope, type ApiKeyVerdict, type ApiKeyVerifier } from '@leadstream/platform-access';
import { createValidationPipe } from '@leadstream/platform-service';
import { DataSource } from 'typeorm';

/** The keys the routes under test know: 'admin-secret' and 'read-secret', named 'int <scope>' with id 'key-<scope>'. */
const KEYS: Readonly<Record<string, ApiKeyScope>> = { 'admin-secret': 'admin', 'read-secret': 'read' };

@Injectable()
class TestKeys implements ApiKeyVerifier {
  async verify(secret: string): Promise<ApiKeyVerdict> {
    const scope = KEYS[secret];
    if (scope === undefined) return { valid: false, reason: 'unknown API key' };
    return { valid: true, key: { id: `key-${scope}`, name: `int ${scope}`, scopes: [scope], createdAt: '2026-01-01T00:00:00.000Z', revokedAt: null } };
  }
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface RoutesUnderTest {
  /** A request with the API key `key` (none when undefined) and a JSON body when given; the answer's JSON. */
  request(method: 'GET' | 'POST', path: string, key: string | undefined, body?: unknown): Promise<Answer>;
  close(): Promise<void>;
}

/**
 * Scoring's `controllers` over HTTP on a free port of 127.0.0.1, on `dataSource`, with the service's
 * validation pipe and the API-key guard of platform-access over a stand-in key store (KEYS).
 */
export async function startRoutes(controllers: readonly Type[], dataSource: DataSource): Promise<RoutesUnderTest> {
  @Module({ controllers: [...controllers], providers: [TestKeys, ...accessProviders('scoring', TestKeys), { provide: DataSource, useValue: dataSource }] })
  class Routes {}
  const app: INestApplication = await NestFactory.create(Routes, { logger: false });
  app.useGlobalPipes(createValidationPipe());
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  return {
    async request(method, path, key, body) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    close: () => app.close(),
  };
}
