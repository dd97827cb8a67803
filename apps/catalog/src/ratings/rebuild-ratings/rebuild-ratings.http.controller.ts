import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Roles } from '@shop/platform/auth';
import { ZodValidationPipe } from '@shop/platform/http';
import { ApiImportResult, RebuildReadModelBody, rebuildReadModelBodySchema } from '@shop/shared/contracts';
import { ImportRatingsHandler } from './import-ratings.handler';
import { RebuildRatingsHandler } from './rebuild-ratings.handler';

@Roles('admin')
@Controller('admin/read-models/ratings')
export class RebuildRatingsHttpController {
  constructor(
    private readonly fromTopic: RebuildRatingsHandler,
    private readonly fromApi: ImportRatingsHandler,
  ) {}

  /**
   * `source: topic` (default): `events` read from the topic, `imported` reviews that were missing, `products` whose
   * rating changed. `source: api`: the review service's export, in full or `since` a time, in steps (`nextCursor`).
   */
  @Post('rebuild')
  @HttpCode(200)
  rebuild(
    @Body(new ZodValidationPipe(rebuildReadModelBodySchema)) body: RebuildReadModelBody,
  ): Promise<{ events: number; imported: number; products: number } | (ApiImportResult & { products: number })> {
    if (body.source === 'api') return this.fromApi.execute({ since: body.since, cursor: body.cursor });
    return this.fromTopic.execute();
  }
}
