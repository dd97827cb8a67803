import { Controller, HttpCode, Post } from '@nestjs/common';
import { Roles } from '@shop/platform/auth';
import { RebuildProductSnapshotsHandler } from './rebuild-product-snapshots.handler';

@Roles('admin')
@Controller('admin/read-models/product-snapshots')
export class RebuildProductSnapshotsHttpController {
  constructor(private readonly handler: RebuildProductSnapshotsHandler) {}

  /** `events` read from the catalog topic, `updated` snapshot rows that were missing or older. */
  @Post('rebuild')
  @HttpCode(200)
  rebuild(): Promise<{ events: number; updated: number }> {
    return this.handler.execute();
  }
}
