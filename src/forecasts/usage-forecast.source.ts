import { Injectable } from '@nestjs/common';
import { behaviourQueries } from '../behaviour/behaviour-promql';
import { volumeForecasts } from '../behaviour/resource-rules';
import { nanosToNumber } from '../cluster-state/quantity';
import { ConfigProvider } from '../config/config.provider';
import { ownerChain, podRef, workloadOf } from '../diagnostics/owners';
import { ClusterSnapshot, ClusterSnapshots } from '../monitor/cluster-snapshot';
import { usageForecastQueries } from '../telemetry/promql';
import type { Queries } from '../telemetry/telemetry-runner';
import { TelemetryRunner } from '../telemetry/telemetry-runner';
import type { Forecast, ForecastAnswer, ForecastRequest, ForecastSource } from './forecast';
import { memoryLimitForecasts, volumeFillForecasts } from './limit-forecasts';
import { PodPlacement, usageForecasts } from './usage-forecasts';

/** Points per series at most; fewer when the cluster's pods would exceed telemetry.maxPoints. */
const MAX_STEPS = 240;
/** The share of telemetry.maxPoints one range query may plan for (the count of series is a guess). */
const POINTS_SHARE = 0.5;

/** A range ending at `now` rounded down to its step, so repeated asks see the same points. */
export interface UsageRange {
  start: Date;
  end: Date;
  stepSeconds: number;
}

/** The step that keeps `series` series of `windowMs` within MAX_STEPS and the points budget. */
export function usageRange(
  now: number,
  windowMs: number,
  series: number,
  maxPoints: number,
): UsageRange {
  const steps = Math.max(2, Math.min(MAX_STEPS, (maxPoints * POINTS_SHARE) / Math.max(1, series)));
  const stepSeconds = Math.max(1, Math.ceil(windowMs / 1000 / steps));
  const end = Math.floor(now / 1000 / stepSeconds) * stepSeconds * 1000;
  return { start: new Date(end - windowMs), end: new Date(end), stepSeconds };
}

function placement(snapshot: ClusterSnapshot): PodPlacement {
  return {
    nodes: snapshot.list('nodes').map((n) => ({
      name: n.name,
      allocatableCpu: nanosToNumber(n.allocatable.cpu),
      allocatableMemory: nanosToNumber(n.allocatable.memory),
    })),
    nodeOf: (namespace, pod) => snapshot.get('pods', pod, namespace)?.nodeName || undefined,
  };
}

/** `<Kind>/<name>` of a pod's workload through its owner chain, as the other workload forecasts. */
function workloadName(snapshot: ClusterSnapshot, namespace: string, pod: string): string {
  const ref = podRef(namespace, pod);
  const owner = workloadOf(ownerChain(snapshot, snapshot.get('pods', pod, namespace), ref), ref);
  return `${owner.kind}/${owner.name}`;
}

/**
 * Usage forecasts from the cluster's Prometheus: CPU and memory usage against allocatable (cluster
 * and nodes), containers' working sets against their memory limits, volumes filling. A fixed set
 * of queries per evaluation, whatever the number of workloads; no Prometheus, or a failing one,
 * is this source's state in the answer (`telemetry`), and no forecast of its kinds.
 */
@Injectable()
export class UsageForecastSource implements ForecastSource {
  constructor(
    private readonly runner: TelemetryRunner,
    private readonly snapshots: ClusterSnapshots,
    private readonly configProvider: ConfigProvider,
  ) {}

  async forecasts(r: ForecastRequest): Promise<ForecastAnswer> {
    const snapshot = await this.snapshots.forCluster(r.clusterId);
    const run = await this.runner.run(r.clusterId, [] as Forecast[], (q) =>
      this.evaluate(q, snapshot, r),
    );
    return { forecasts: run.data, telemetry: run.telemetry };
  }

  private async evaluate(q: Queries, snapshot: ClusterSnapshot, r: ForecastRequest) {
    const pods = snapshot.list('pods');
    const usage = usageRange(r.now, r.windowMs, pods.length, this.maxPoints);
    const texts = usageForecastQueries(Math.max(120, usage.stepSeconds));
    const [podCpu, podMemory, limits] = await Promise.all([
      q.range(texts.podCpu, usage.start, usage.end, usage.stepSeconds),
      q.range(texts.podMemory, usage.start, usage.end, usage.stepSeconds),
      // The findings of the memory limit and the volumes are the behaviour evaluation's.
      r.forFindings ? [] : this.limitForecasts(q, snapshot, r),
    ]);
    return [...usageForecasts({ podCpu, podMemory }, placement(snapshot), r), ...limits];
  }

  /** FORECAST_MEMORY_LIMIT and FORECAST_PVC_FULL: behaviour's computations, with their points. */
  private async limitForecasts(q: Queries, snapshot: ClusterSnapshot, r: ForecastRequest) {
    const { behaviour } = this.configProvider.config;
    const containers = snapshot.list('pods').reduce((n, p) => n + (p.containers?.length ?? 1), 0);
    const recent = usageRange(
      r.now,
      behaviour.volumeWindowSeconds * 1000,
      containers,
      this.maxPoints,
    );
    const range = (text: string) => q.range(text, recent.start, recent.end, recent.stepSeconds);
    const texts = usageForecastQueries(120);
    const b = behaviourQueries(behaviour);
    const [containerMemory, limits, toLimit, slope, used, capacity, usedSeries] = await Promise.all(
      [
        range(texts.containerMemory),
        q.instant(texts.containerLimits),
        q.instant(b.memoryToLimit),
        q.instant(b.volumeSlope),
        q.instant(b.volumeUsed),
        q.instant(b.volumeCapacity),
        range(b.volumeUsed),
      ],
    );
    const memory = {
      secondsToLimit: toLimit,
      containerMemory,
      containerLimits: limits,
      workloadOf: (namespace: string, pod: string) => workloadName(snapshot, namespace, pod),
    };
    const volumes = volumeForecasts({
      slope,
      used,
      capacity,
      linePercent: behaviour.volumeLinePercent,
    });
    return [
      ...memoryLimitForecasts(memory, r.now, r.horizonMs),
      ...volumeFillForecasts(volumes, usedSeries, r.now, r.horizonMs),
    ];
  }

  private get maxPoints(): number {
    return this.configProvider.config.telemetry.maxPoints;
  }
}
