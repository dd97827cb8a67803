import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Principal, Roles } from '@shop/platform/auth';
import { ProblemException, ZodValidationPipe } from '@shop/platform/http';
import { idempotencyKeySchema, OrderView, PlaceOrderRequest, placeOrderSchema, WaitingRoomTicketView } from '@shop/shared/contracts';
import { PlaceOrderHandler } from '../orders/place-order/place-order.handler';
import { toTicketView } from '../waiting-room/waiting-room.mapper';
import { WaitingRoomService } from '../waiting-room/waiting-room.service';

/**
 * Checkout: the door in front of placing an order. While the waiting room is
 * closed the order is placed at once; while it is open the checkout takes a
 * place in line instead (docs/waiting-room.md).
 */
@Controller('api/orders')
export class CheckoutHttpController {
  constructor(
    private readonly handler: PlaceOrderHandler,
    private readonly room: WaitingRoomService,
  ) {}

  /**
   * 202: the order is accepted; its lifecycle continues asynchronously. While
   * the waiting room is open, 202 with a ticket instead (its place in line);
   * the order is placed from it when its turn comes.
   */
  @Post()
  @Roles('customer')
  @HttpCode(202)
  async place(
    @CurrentUser() user: Principal,
    @Body(new ZodValidationPipe(placeOrderSchema)) body: PlaceOrderRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderView | WaitingRoomTicketView> {
    if (idempotencyKey !== undefined && !idempotencyKeySchema.safeParse(idempotencyKey).success) {
      throw new ProblemException(400, 'Idempotency-Key must be 1 to 200 printable ASCII characters');
    }
    if (await this.room.queues()) {
      const ticket = toTicketView(await this.room.join(user.sub, body, idempotencyKey));
      void reply.header('location', `/api/waiting-room/tickets/${ticket.ticketId}`);
      if (ticket.retryAfterSeconds !== undefined) void reply.header('retry-after', String(ticket.retryAfterSeconds));
      return ticket;
    }
    const order = await this.handler.execute(user.sub, body, idempotencyKey);
    void reply.header('location', `/api/orders/${order.id}`);
    return order;
  }
}
