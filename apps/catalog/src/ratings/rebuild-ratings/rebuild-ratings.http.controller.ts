import { Controller, HttpCode, Post } from '@nestjs/common';
import { Roles } from '@shop/platform/auth';
import { RebuildRatingsHandler } from './rebuild-ratings.handler';

@Roles('admin')
@Controller('admin/read-models/ratings')
export class RebuildRatingsHttpController {
  constructor(private readonly handler: RebuildRatingsHandler) {}

  /** `events` read from the topic, `imported` reviews that were missing, `products` whose rating changed. */
  @Post('rebuild')
  @HttpCode(200)
  rebuild(): Promise<{ events: number; imported: number; products: number }> {
    return this.handler.execute();
  }
}
