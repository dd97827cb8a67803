import { Injectable } from '@nestjs/common';
import { PrismaServiceFor } from '@shop/platform/database';
import { PrismaClient } from './generated/prisma/client';

/** The delivery service's Prisma client, bound to the `deliveries` schema through the pg driver adapter. */
@Injectable()
export class DeliveryPrismaService extends PrismaServiceFor(PrismaClient) {}
