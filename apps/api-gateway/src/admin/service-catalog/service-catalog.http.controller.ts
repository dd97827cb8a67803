import { Controller, Get, Inject } from '@nestjs/common';
import { ProblemException } from '@shop/platform/http';
import { UpstreamRegistry } from '@shop/platform/resilience';
import { CatalogEntity, findCatalogRoot, readCatalog } from '@shop/platform/service-catalog';
import { ServiceMap, serviceMap } from './service-map';

/**
 * The service catalog (the apps' catalog-info.yaml, shipped with the gateway)
 * as a graph, with each service's breaker as the gateway sees it now. Admin
 * only (edge-rules.ts).
 */
@Controller('api/admin/service-catalog')
export class ServiceCatalogHttpController {
  private catalog?: CatalogEntity[];

  constructor(@Inject(UpstreamRegistry) private readonly upstreams: UpstreamRegistry) {}

  @Get()
  map(): ServiceMap {
    return serviceMap(this.entities(), this.upstreams.snapshot());
  }

  private entities(): CatalogEntity[] {
    if (!this.catalog) {
      const root = findCatalogRoot(__dirname);
      if (!root) throw new ProblemException(503, 'the service catalog is not shipped with this gateway');
      this.catalog = readCatalog(root);
    }
    return this.catalog;
  }
}
