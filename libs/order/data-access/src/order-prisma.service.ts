import { Injectable } from '@nestjs/common';
import { PrismaServiceFor } from '@shop/platform/database';
import { PrismaClient } from './generated/prisma/client';

/** The order service's Prisma client, bound to the `orders` schema through the pg driver adapter. */
@Injectable()
export class OrderPrismaService extends PrismaServiceFor(PrismaClient) {}
