import { Injectable } from '@nestjs/common';
import { PrismaServiceFor } from '@shop/platform/database';
import { PrismaClient } from './generated/prisma/client';

/** The review service's Prisma client, bound to the `reviews` schema through the pg driver adapter. */
@Injectable()
export class ReviewPrismaService extends PrismaServiceFor(PrismaClient) {}
