import { Injectable } from '@nestjs/common';
import type { EvaluatedFinding } from '../cluster-state/finding';
import {
  FindingSourceRuntime,
  PeriodicFindingSource,
} from '../diagnostics/periodic-finding-source';
import type { ClusterSnapshot } from '../monitor/cluster-snapshot';
import { TelemetryRunner } from '../telemetry/telemetry-runner';
import type { BehaviourStatusDto } from './behaviour.dto';
import { evaluateBehaviour } from './behaviour-evaluation';
import { behaviourFindings, hasReadyPods } from './behaviour-findings';
import type { BehaviourHit } from './behaviour-rules';

const DAY = 86_400_000;

/**
 * Findings from behaviour (BEHAVIOUR_*, FORECAST_PVC_FULL): every `behaviour.intervalSeconds`,
 * each settled cluster's Prometheus answers a fixed set of queries. No Prometheus, or a failing
 * one, means no behaviour findings and the error in the cluster's status, nothing else.
 */
@Injectable()
export class BehaviourFindings extends PeriodicFindingSource {
  private readonly statuses = new Map<string, BehaviourStatusDto>();

  constructor(
    private readonly runner: TelemetryRunner,
    runtime: FindingSourceRuntime,
  ) {
    super(runtime, 'behaviour', 'behaviour-findings', (c) => c.behaviour.intervalSeconds);
  }

  /** The last evaluation of a cluster: its telemetry state, query count and findings. */
  status(clusterId: string): BehaviourStatusDto | undefined {
    return this.statuses.get(clusterId);
  }

  protected override forget(clusterId: string): void {
    this.statuses.delete(clusterId);
  }

  /** Only the error's name: a client's message may quote the Prometheus URL it was given. */
  protected override describeFailure(error: Error): string {
    return error.name;
  }

  protected async compute(
    clusterId: string,
    snapshot: ClusterSnapshot,
    now: number,
  ): Promise<EvaluatedFinding[]> {
    const { behaviour, telemetry, forecasts } = this.config;
    const run = await this.runner.run(clusterId, [] as BehaviourHit[], (q) =>
      evaluateBehaviour(q, {
        ...behaviour,
        now,
        healthOverrides: telemetry.healthOverrides,
        horizonMs: forecasts.findingHorizonDays * DAY,
        hasReadyPods: (namespace, name) => hasReadyPods(snapshot, namespace, name),
      }),
    );
    const findings = behaviourFindings(clusterId, snapshot, run.data);
    this.statuses.set(clusterId, {
      cluster: run.cluster,
      telemetry: run.telemetry,
      evaluatedAt: new Date(now).toISOString(),
      intervalSeconds: behaviour.intervalSeconds,
      findings: findings.length,
      codes: findings.map((f) => f.code).sort(),
    });
    return findings;
  }
}
