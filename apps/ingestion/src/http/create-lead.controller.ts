import { Body, Controller, HttpCode, Post, Res, ServiceUnavailableException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { newEdgeEvent, type LeadReceived } from '@leadstream/contracts';
import { EventPublisher } from '@leadstream/platform-kafka';
import { CreateLeadDto, toLeadFields } from './create-lead.dto';

/** Seconds a client should wait before retrying when Kafka did not acknowledge. */
const RETRY_AFTER_SECONDS = 5;

@Controller('v1/leads')
export class CreateLeadController {
  constructor(private readonly publisher: EventPublisher) {}

  /** Answers 202 only once Kafka acknowledged the lead.received event (acks -1); 503 otherwise. */
  @Post()
  @HttpCode(202)
  async create(@Body() body: CreateLeadDto, @Res({ passthrough: true }) response: { setHeader(name: string, value: string): unknown }): Promise<{ leadId: string }> {
    const leadId = randomUUID();
    const eventId = randomUUID();
    const event = newEdgeEvent<LeadReceived>({
      type: 'lead.received',
      data: { lead: toLeadFields(body), channel: 'api' },
      eventId,
      leadId,
      occurredAt: new Date().toISOString(),
    });
    try {
      await this.publisher.publish([event]);
    } catch (error) {
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      throw new ServiceUnavailableException(
        `the lead was not accepted: Kafka did not acknowledge it (${error instanceof Error ? error.message : String(error)}); retry later`,
      );
    }
    return { leadId };
  }
}
