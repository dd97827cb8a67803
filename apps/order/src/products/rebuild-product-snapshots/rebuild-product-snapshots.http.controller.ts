import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Roles } from '@shop/platform/auth';
import { ZodValidationPipe } from '@shop/platform/http';
import { ApiImportResult, RebuildReadModelBody, rebuildReadModelBodySchema } from '@shop/shared/contracts';
import { ImportProductSnapshotsHandler } from './import-product-snapshots.handler';
import { RebuildProductSnapshotsHandler } from './rebuild-product-snapshots.handler';

@Roles('admin')
@Controller('admin/read-models/product-snapshots')
export class RebuildProductSnapshotsHttpController {
  constructor(
    private readonly fromTopic: RebuildProductSnapshotsHandler,
    private readonly fromApi: ImportProductSnapshotsHandler,
  ) {}

  /**
   * `source: topic` (default): `events` read from the catalog topic, `updated` snapshot rows that were missing or
   * older. `source: api`: the catalog's export, in full or `since` a time, in steps (`nextCursor`).
   */
  @Post('rebuild')
  @HttpCode(200)
  rebuild(
    @Body(new ZodValidationPipe(rebuildReadModelBodySchema)) body: RebuildReadModelBody,
  ): Promise<{ events: number; updated: number } | ApiImportResult> {
    if (body.source === 'api') return this.fromApi.execute({ since: body.since, cursor: body.cursor });
    return this.fromTopic.execute();
  }
}
