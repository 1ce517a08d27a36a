import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsService } from './metrics.service';

interface Served {
  method: string;
  route?: string;
  status: number;
}

const SERVED: Served[] = [
  { method: 'GET', route: '/api/v1/clusters/:clusterId/overview', status: 200 },
  { method: 'GET', route: '/api/v1/clusters/:clusterId/overview', status: 200 },
  { method: 'GET', route: '/api/v1/clusters/:clusterId/overview', status: 404 },
  { method: 'GET', status: 404 },
  { method: 'POST', route: '/api/v1/auth/tokens', status: 201 },
];

function serve(middleware: HttpMetricsMiddleware, served: Served): void {
  const response = Object.assign(new EventEmitter(), { statusCode: served.status });
  const request = { method: served.method, route: served.route && { path: served.route } };
  middleware.use(request as Request, response as unknown as Response, () => undefined);
  response.emit('finish');
}

/** The exposition without the observed durations (sums and buckets): what labels and counts say. */
async function seriesOf(metrics: MetricsService): Promise<string[]> {
  const text = await metrics.registry.getSingleMetricAsString(
    'cloudpilot_http_request_duration_seconds',
  );
  return text.split('\n').filter((line) => /_count\{|le="\+Inf"/.test(line));
}

describe('HttpMetricsMiddleware', () => {
  it('counts each request in its method, route and status series ("unmatched" without a route)', async () => {
    const metrics = new MetricsService();
    const middleware = new HttpMetricsMiddleware(metrics);
    for (const served of SERVED) serve(middleware, served);
    const series = await seriesOf(metrics);
    expect(series).toContain(
      'cloudpilot_http_request_duration_seconds_count{method="GET",route="/api/v1/clusters/:clusterId/overview",status="200"} 2',
    );
    expect(series).toContain(
      'cloudpilot_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1',
    );
    expect(series.filter((line) => line.includes('_count{'))).toHaveLength(4);
  });

  it('exposes the same series, labels in the same order, as a timer per request did', async () => {
    const bound = new MetricsService();
    const middleware = new HttpMetricsMiddleware(bound);
    const timed = new MetricsService();
    for (const served of SERVED) {
      serve(middleware, served);
      timed.httpDuration.startTimer({ method: served.method })({
        route: served.route ?? 'unmatched',
        status: String(served.status),
      });
    }
    await expect(seriesOf(bound)).resolves.toEqual(await seriesOf(timed));
  });
});
