import { ConflictException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { newEdgeEvent, type LeadMergeRequested, type LeadUnmergeRequested } from '@leadstream/contracts';
import type { AuthenticatedRequest } from '@leadstream/platform-access';
import { EventPublisher } from '@leadstream/platform-kafka';
import { DataSource } from 'typeorm';
import { requestOutcomeRepository } from '../persistence/request-outcome.repository';

/** How long an HTTP call waits for the request stage's answer before it answers 202 with the request id. */
export const REQUEST_WAIT_MS = Number(process.env['DEDUPE_REQUEST_WAIT_MS'] ?? 10_000);
const POLL_MS = 25;

export type RequestAnswer = { readonly status: 'done'; readonly requestId: string; readonly detail: Readonly<Record<string, unknown>> } | { readonly status: 'pending'; readonly requestId: string };

/**
 * Publishes a merge or unmerge request (an event: the request stage applies it under every lock, in the
 * same transaction as the lead.merged / lead.unmerged it emits) and waits for its outcome. A refusal (the
 * state changed since the route checked it) is a 409 with the stage's reason.
 */
@Injectable()
export class MergeRequestPublisher {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly dataSource: DataSource,
  ) {}

  async merge(leadIds: readonly string[], requestedBy: string, reviewPairId?: string): Promise<RequestAnswer> {
    const eventId = randomUUID();
    const event = newEdgeEvent<LeadMergeRequested>({
      type: 'lead.merge-requested',
      data: { leadIds, ...(reviewPairId ? { reviewPairId } : {}), requestedBy },
      eventId,
      leadId: leadIds[0] as string,
      occurredAt: new Date().toISOString(),
    });
    await this.publisher.publish([event]);
    return this.outcome(eventId);
  }

  async unmerge(leadId: string, requestedBy: string): Promise<RequestAnswer> {
    const eventId = randomUUID();
    const event = newEdgeEvent<LeadUnmergeRequested>({ type: 'lead.unmerge-requested', data: { requestedBy }, eventId, leadId, occurredAt: new Date().toISOString() });
    await this.publisher.publish([event]);
    return this.outcome(eventId);
  }

  private async outcome(requestId: string): Promise<RequestAnswer> {
    const deadline = Date.now() + REQUEST_WAIT_MS;
    while (Date.now() < deadline) {
      const outcome = await requestOutcomeRepository.get(this.dataSource.manager, requestId);
      if (outcome?.status === 'refused') throw new ConflictException(`${String(outcome.detail['reason'])} (request ${requestId})`);
      if (outcome) return { status: 'done', requestId, detail: outcome.detail };
      await sleep(POLL_MS);
    }
    return { status: 'pending', requestId };
  }
}

/** A who-called-it label for the audit: the API key's name and id. */
export function requesterOf(request: AuthenticatedRequest): string {
  return request.apiKey ? `${request.apiKey.name} (${request.apiKey.id})` : 'unknown';
}

/** Answers 200 with what changed, or 202 with the request id when the request stage has not answered yet. */
export function answer(result: RequestAnswer, response: { status(code: number): unknown }): Record<string, unknown> {
  if (result.status === 'pending') {
    response.status(202);
    return { status: 'pending', requestId: result.requestId, check: `/v1/merge-requests/${result.requestId}` };
  }
  return { status: 'done', requestId: result.requestId, ...result.detail };
}
