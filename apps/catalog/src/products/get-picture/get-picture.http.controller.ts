import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CatalogQueries } from '@shop/catalog/data-access';
import { CatalogError } from '@shop/catalog/domain';
import { Public, UuidParamPipe } from '@shop/platform/http';

/**
 * A product's picture, from the catalog's own tables. The etag is the bytes' sha256, so a client (or a cache in
 * front of the gateway) revalidates with If-None-Match and gets a 304 while the picture is unchanged.
 */
@Public()
@Controller('api/products')
export class GetPictureHttpController {
  constructor(private readonly queries: CatalogQueries) {}

  @Get(':id/picture')
  async get(
    @Param('id', new UuidParamPipe('product')) id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const picture = await this.queries.picture(id);
    if (!picture) throw new CatalogError('NOT_FOUND', `product ${id} has no picture`);
    const etag = `"${picture.sha256}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=60, must-revalidate').header('x-content-type-options', 'nosniff');
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')) {
      await reply.code(304).send();
      return;
    }
    await reply.code(200).header('content-type', picture.contentType).send(picture.data);
  }
}
