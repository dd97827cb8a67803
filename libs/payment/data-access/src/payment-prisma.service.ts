import { Injectable } from '@nestjs/common';
import { PrismaServiceFor } from '@shop/platform/database';
import { PrismaClient } from './generated/prisma/client';

/** The payment service's Prisma client, bound to the `payments` schema through the pg driver adapter. */
@Injectable()
export class PaymentPrismaService extends PrismaServiceFor(PrismaClient) {}
