import 'reflect-metadata';
import { Body, Controller, type INestApplication, Injectable, Module, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { createLogger } from '@leadstream/platform-observability';
import { bootstrapService } from './bootstrap';
import { HealthModule } from './health.module';
import { ReadinessRegistry } from './readiness';

class Address {
  @IsString() city!: string;
}
class CreateLeadBody {
  @IsEmail() email!: string;
  @IsOptional() @IsInt() @Min(0) employees?: number;
  @IsOptional() @ValidateNested() @Type(() => Address) address?: Address;
}

@Controller('v1/leads')
class LeadsController {
  @Post()
  create(@Body() body: CreateLeadBody): { received: CreateLeadBody; isInstance: boolean } {
    return { received: body, isInstance: body instanceof CreateLeadBody };
  }
}

// Two feature modules that each import HealthModule.forRoot(), as a service module and a shared
// runtime module do: they must share one registry.
@Injectable()
class ConsumerCheck {
  constructor(registry: ReadinessRegistry) {
    registry.register('consumer', () => true);
  }
}
@Module({ imports: [HealthModule.forRoot()], providers: [ConsumerCheck] })
class ConsumerModule {}

@Module({ imports: [HealthModule.forRoot(), ConsumerModule], controllers: [LeadsController] })
class TestModule {}

describe('bootstrapService over HTTP', () => {
  let app: INestApplication;
  let base: string;
  const lines: string[] = [];
  let databaseUp = true;

  beforeAll(async () => {
    app = await bootstrapService({
      name: 'ingestion',
      module: TestModule,
      port: 0,
      host: '127.0.0.1',
      bodyLimit: '10kb',
      logger: createLogger('ingestion', { write: (line) => lines.push(line) }),
    });
    const registry = app.get(ReadinessRegistry);
    registry.register('database', () => {
      if (!databaseUp) throw new Error('connect ECONNREFUSED 127.0.0.1:5433');
      return true;
    });
    registry.register('kafka', () => true);
    base = await app.getUrl();
  });
  afterAll(() => app.close());

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${base}/v1/leads`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('logs JSON lines through the service logger', () => {
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.some((r) => r['service'] === 'ingestion' && String(r['msg']).includes('listening on port'))).toBe(true);
  });

  it('answers /health/live with 200 ok', async () => {
    const res = await fetch(`${base}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /health/ready with 200 when the checks pass and 503 naming the failing one otherwise', async () => {
    databaseUp = true;
    const ok = await fetch(`${base}/health/ready`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok', checks: { consumer: 'up', database: 'up', kafka: 'up' } });

    databaseUp = false;
    const down = await fetch(`${base}/health/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: 'not-ready',
      checks: { consumer: 'up', database: 'down: connect ECONNREFUSED 127.0.0.1:5433', kafka: 'up' },
    });
    databaseUp = true;
  });

  it('transforms a valid body into the DTO class', async () => {
    const res = await post(JSON.stringify({ email: 'ada@example.com', employees: 12 }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ received: { email: 'ada@example.com', employees: 12 }, isInstance: true });
  });

  it('answers 400 naming an invalid field, a nested one, and an unknown one', async () => {
    const res = await post(JSON.stringify({ email: 'not-an-email', address: { city: 7 }, favouriteColour: 'red' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string[]; fields: string[] };
    expect(body.fields.sort()).toEqual(['address.city', 'email', 'favouriteColour']);
    expect(body.message).toEqual(
      expect.arrayContaining(['email: email must be an email', 'favouriteColour: property favouriteColour should not exist']),
    );
  });

  it("answers 400 'malformed JSON body' for JSON that does not parse", async () => {
    const res = await post('{"email": "ada@example.com",');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string };
    expect(body.message).toMatch(/^malformed JSON body: /);
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await post(JSON.stringify({ email: 'a@example.com', padding: 'x'.repeat(20_000) }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/^request body too large: the limit is 10240 bytes$/);
  });
});
