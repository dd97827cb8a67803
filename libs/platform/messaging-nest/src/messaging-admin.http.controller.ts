import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { Roles } from '@shop/platform/auth';
import { ZodValidationPipe } from '@shop/platform/http';
import type { DeadLetterView } from '@shop/platform/messaging';
import { KafkaEventTransport } from './kafka-event.transport';
import { MessagingMetrics } from './messaging.metrics';
import { OutboxRelayService } from './outbox-relay.service';

const dlqQuery = z.object({ limit: z.coerce.number().int().min(1).max(1_000).default(100) }).strict();
const replayBody = z
  .object({
    ids: z.array(z.string().min(1).max(300)).min(1).max(100_000).optional(),
    /** At most this many (the CLI replays a long queue in steps and shows progress). */
    limit: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();
const republishBody = z
  .object({ since: z.iso.datetime({ offset: true }).optional(), aggregateId: z.string().min(1).max(200).optional() })
  .strict();

/**
 * Each service's operator routes (the gateway exposes them under /api/admin):
 * its dead letters, their replay, and event re-publish from its outbox.
 */
@Roles('admin')
@Controller('admin')
export class MessagingAdminHttpController {
  constructor(
    private readonly transport: KafkaEventTransport,
    private readonly relay: OutboxRelayService,
    private readonly metrics: MessagingMetrics,
  ) {}

  @Get('dlq')
  async list(@Query(new ZodValidationPipe(dlqQuery, 'query')) query: z.infer<typeof dlqQuery>): Promise<{ items: DeadLetterView[] }> {
    const deadLetters = this.transport.deadLetters();
    try {
      return { items: await deadLetters.list(query.limit) };
    } finally {
      await deadLetters.close();
    }
  }

  @Post('dlq/replay')
  @HttpCode(200)
  async replay(@Body(new ZodValidationPipe(replayBody)) body: z.infer<typeof replayBody>): Promise<{ replayed: number }> {
    const deadLetters = this.transport.deadLetters();
    try {
      const replayed = await deadLetters.replay({ ids: body.ids, limit: body.limit });
      this.metrics.replayed.inc({ group: this.transport.groupId }, replayed);
      return { replayed };
    } finally {
      await deadLetters.close();
    }
  }

  @Post('events/republish')
  @HttpCode(200)
  async republish(@Body(new ZodValidationPipe(republishBody)) body: z.infer<typeof republishBody>): Promise<{ republished: number }> {
    const republished = await this.relay.relay.republish({
      since: body.since ? new Date(body.since) : undefined,
      aggregateId: body.aggregateId,
    });
    return { republished };
  }
}
