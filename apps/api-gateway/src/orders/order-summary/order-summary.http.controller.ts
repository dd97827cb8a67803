import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendAnswer, sendUnavailable } from '../../proxy/answers';
import { OrderSummaryHandler, SummaryResult } from './order-summary.handler';

/** `GET /api/orders/:id/summary`: owner or admin (the order service decides), composed here. */
@Controller('api/orders')
export class OrderSummaryHttpController {
  constructor(private readonly handler: OrderSummaryHandler) {}

  @Get(':id/summary')
  async summary(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    let result: SummaryResult;
    try {
      result = await this.handler.execute(id, request);
    } catch (err) {
      return sendUnavailable(reply, request, err);
    }
    if ('answer' in result) return sendAnswer(reply, result.answer);
    await reply.code(200).send(result.summary);
  }
}
