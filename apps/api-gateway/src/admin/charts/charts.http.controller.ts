import { Controller, Get, Query } from '@nestjs/common';
import { ZodValidationPipe } from '@shop/platform/http';
import { ChartsQuery, chartsQuerySchema, ChartsView } from './charts.schemas';
import { PrometheusCharts } from './prometheus-charts.service';

/** The operator console's charts over the last minutes, from Prometheus. Admin only (edge-rules.ts). */
@Controller('api/admin/charts')
export class ChartsHttpController {
  constructor(private readonly charts: PrometheusCharts) {}

  @Get()
  get(@Query(new ZodValidationPipe(chartsQuerySchema, 'query')) query: ChartsQuery): Promise<ChartsView> {
    return this.charts.charts(query.minutes);
  }
}
