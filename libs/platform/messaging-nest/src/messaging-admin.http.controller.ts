import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { Roles } from '@shop/platform/auth';
import { ZodValidationPipe } from '@shop/platform/http';
import { type DeadLetterView, messagingStatus, type MessagingStatus } from '@shop/platform/messaging';
import { dlqListQuerySchema, dlqReplayBodySchema, republishBodySchema } from '@shop/shared/contracts';
import { KafkaEventTransport } from './kafka-event.transport';
import { MessagingMetrics } from './messaging.metrics';
import { OutboxRelayService } from './outbox-relay.service';

/**
 * Each service's operator routes (the gateway exposes them under /api/admin):
 * its dead letters, their replay, event re-publish from its outbox, and its
 * messaging status (outbox backlog, consumers, lag).
 */
@Roles('admin')
@Controller('admin')
export class MessagingAdminHttpController {
  constructor(
    private readonly transport: KafkaEventTransport,
    private readonly relay: OutboxRelayService,
    private readonly metrics: MessagingMetrics,
  ) {}

  @Get('messaging')
  status(): Promise<MessagingStatus> {
    return messagingStatus({
      backlog: () => this.relay.relay.backlog(),
      relay: () => this.relay.relay.health(),
      consumers: () => this.transport.consumerHealth(),
      lag: () => this.transport.lag(),
    });
  }

  @Get('dlq')
  async list(@Query(new ZodValidationPipe(dlqListQuerySchema, 'query')) query: z.infer<typeof dlqListQuerySchema>): Promise<{ items: DeadLetterView[] }> {
    return { items: await this.transport.deadLetters().list(query.limit ?? 100) };
  }

  @Post('dlq/replay')
  @HttpCode(200)
  async replay(@Body(new ZodValidationPipe(dlqReplayBodySchema)) body: z.infer<typeof dlqReplayBodySchema>): Promise<{ replayed: number }> {
    const replayed = await this.transport.deadLetters().replay({ ids: body.ids, limit: body.limit });
    this.metrics.replayed.inc({ group: this.transport.groupId }, replayed);
    return { replayed };
  }

  @Post('events/republish')
  @HttpCode(200)
  async republish(@Body(new ZodValidationPipe(republishBodySchema)) body: z.infer<typeof republishBodySchema>): Promise<{ republished: number }> {
    const republished = await this.relay.relay.republish({
      since: body.since ? new Date(body.since) : undefined,
      aggregateId: body.aggregateId,
    });
    return { republished };
  }
}
