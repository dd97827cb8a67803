import { Body, Controller, Delete, Get, Param, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Principal, Roles } from '@shop/platform/auth';
import { UuidParamPipe, ZodValidationPipe } from '@shop/platform/http';
import { WaitingRoomChange, waitingRoomChangeSchema, WaitingRoomTicketView, WaitingRoomView } from '@shop/shared/contracts';
import { toTicketView, toWaitingRoomView } from './waiting-room.mapper';
import { WaitingRoomService } from './waiting-room.service';

/** A ticket's owner (or an admin) follows it; the owner may give up the place. */
@Controller('api/waiting-room/tickets')
export class WaitingRoomTicketsHttpController {
  constructor(private readonly room: WaitingRoomService) {}

  @Get(':id')
  async get(
    @CurrentUser() user: Principal,
    @Param('id', new UuidParamPipe('ticket')) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WaitingRoomTicketView> {
    const view = toTicketView(await this.room.ticket(id, { sub: user.sub, admin: user.role === 'admin' }));
    if (view.retryAfterSeconds !== undefined) void reply.header('retry-after', String(view.retryAfterSeconds));
    if (view.orderId) void reply.header('content-location', `/api/orders/${view.orderId}`);
    return view;
  }

  @Delete(':id')
  @Roles('customer')
  async leave(@CurrentUser() user: Principal, @Param('id', new UuidParamPipe('ticket')) id: string): Promise<WaitingRoomTicketView> {
    return toTicketView(await this.room.leave(id, user.sub));
  }
}

/** The console's view of the room, and an operator's hand on it. */
@Controller('api/admin/waiting-room')
@Roles('admin')
export class WaitingRoomAdminHttpController {
  constructor(private readonly room: WaitingRoomService) {}

  @Get()
  async status(): Promise<WaitingRoomView> {
    return toWaitingRoomView(await this.room.status());
  }

  @Put()
  async configure(@Body(new ZodValidationPipe(waitingRoomChangeSchema)) change: WaitingRoomChange): Promise<WaitingRoomView> {
    return toWaitingRoomView(await this.room.configure({ mode: change.mode, ratePerSecond: change.ratePerSecond ?? null }));
  }
}
