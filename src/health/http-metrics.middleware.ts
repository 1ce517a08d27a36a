import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

type Series = ReturnType<MetricsService['httpDuration']['labels']>;

/** Observes every request's duration, labelled by route pattern (never the raw path: cardinality). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  /**
   * The histogram's series bound once per method, route and status (a few dozen): a timer per
   * request with its label objects merged, validated and hashed on every observation was ~2 % of
   * an overview request. Bounded as the histogram itself is: route patterns, not paths.
   */
  private readonly series = new Map<string, Series>();

  constructor(private readonly metrics: MetricsService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = request.route ? String(request.route.path) : 'unmatched';
      this.seriesOf(request.method, route, String(response.statusCode)).observe(seconds);
    });
    next();
  }

  private seriesOf(method: string, route: string, status: string): Series {
    const key = `${method} ${status} ${route}`;
    let series = this.series.get(key);
    if (!series) {
      series = this.metrics.httpDuration.labels({ method, route, status });
      this.series.set(key, series);
    }
    return series;
  }
}
