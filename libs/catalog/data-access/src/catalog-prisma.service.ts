import { Injectable } from '@nestjs/common';
import { PrismaServiceFor } from '@shop/platform/database';
import { PrismaClient } from './generated/prisma/client';

/** The catalog's Prisma client, bound to the `catalog` schema through the pg driver adapter. */
@Injectable()
export class CatalogPrismaService extends PrismaServiceFor(PrismaClient) {}
