import { Injectable } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import type { EvaluatedFinding } from '../cluster-state/finding';
import {
  FindingSourceRuntime,
  PeriodicFindingSource,
} from '../diagnostics/periodic-finding-source';
import { forecastFindings } from './forecast-findings';
import { ForecastsService } from './forecasts.service';

const DAY = 86_400_000;
/** The history a finding's forecast fits: the same default window as GET /forecasts. */
const WINDOW_MS = DAY;

/**
 * Turns forecasts crossing within `forecasts.findingHorizonDays` into FORECAST_* diagnostics
 * findings, recomputed once per monitor tick from the history every replica shares.
 */
@Injectable()
export class ForecastFindings extends PeriodicFindingSource {
  constructor(
    private readonly forecasts: ForecastsService,
    private readonly directory: ClusterDirectory,
    runtime: FindingSourceRuntime,
  ) {
    super(runtime, 'forecasts', 'forecast-findings', (c) => c.monitor.refreshIntervalSeconds);
  }

  protected async compute(clusterId: string, _: unknown, now: number): Promise<EvaluatedFinding[]> {
    const { forecasts: config } = this.config;
    const horizonMs = config.findingHorizonDays * DAY;
    const cluster = await this.directory.get(clusterId);
    const forecasts = await this.forecasts.forFindings(clusterId, now, horizonMs, WINDOW_MS);
    return forecastFindings({ id: cluster.id, name: cluster.name }, forecasts, {
      now,
      horizonMs,
      minConfidence: config.findingMinConfidencePercent / 100,
    });
  }
}
