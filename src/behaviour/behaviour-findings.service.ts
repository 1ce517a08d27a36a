import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EvaluatedFinding } from '../cluster-state/finding';
import { ConfigProvider } from '../config/config.provider';
import { PeriodicJob, PeriodicJobs } from '../coordination/periodic-jobs';
import { ExternalFindings } from '../diagnostics/external-findings';
import { ClusterSnapshot, ClusterSnapshots } from '../monitor/cluster-snapshot';
import { TelemetryRunner } from '../telemetry/telemetry-runner';
import type { BehaviourStatusDto } from './behaviour.dto';
import { evaluateBehaviour } from './behaviour-evaluation';
import { behaviourFindings, hasReadyPods } from './behaviour-findings';
import type { BehaviourHit } from './behaviour-rules';

const DAY = 86_400_000;

/**
 * Findings from behaviour (BEHAVIOUR_*, FORECAST_PVC_FULL): every `behaviour.intervalSeconds`,
 * each settled cluster's Prometheus answers a fixed set of queries; the findings are held here and
 * merged by diagnostics through ExternalFindings. No Prometheus, or a failing one, means no
 * behaviour findings and the error in the cluster's status, nothing else.
 */
@Injectable()
export class BehaviourFindings implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Behaviour');
  private readonly current = new Map<string, EvaluatedFinding[]>();
  private readonly statuses = new Map<string, BehaviourStatusDto>();
  private readonly job: PeriodicJob<void>;
  private unregister: (() => void) | undefined;

  constructor(
    private readonly runner: TelemetryRunner,
    private readonly snapshots: ClusterSnapshots,
    private readonly external: ExternalFindings,
    private readonly configProvider: ConfigProvider,
    jobs: PeriodicJobs,
  ) {
    this.job = jobs.register({
      name: 'behaviour-findings',
      everyMs: configProvider.config.behaviour.intervalSeconds * 1000,
      runsOn: 'every-replica',
      tick: (now) => this.evaluateAll(now),
    });
  }

  onApplicationBootstrap(): void {
    this.unregister = this.external.register({
      name: 'behaviour',
      findings: (clusterId) => this.current.get(clusterId) ?? [],
    });
  }

  onModuleDestroy(): void {
    this.unregister?.();
  }

  /** Evaluates every settled cluster now, as the timer does; a run in progress is joined. */
  async refreshAll(now = Date.now()): Promise<void> {
    await this.job.run(now);
  }

  /** The last evaluation of a cluster: its telemetry state, query count and findings. */
  status(clusterId: string): BehaviourStatusDto | undefined {
    return this.statuses.get(clusterId);
  }

  private async evaluateAll(now: number): Promise<void> {
    const running = this.snapshots.all();
    for (const id of this.current.keys()) if (!running.has(id)) this.current.delete(id);
    for (const id of this.statuses.keys()) if (!running.has(id)) this.statuses.delete(id);
    for (const [clusterId, snapshot] of running) {
      if (!snapshot.settled || snapshot.down) continue;
      await this.evaluate(clusterId, snapshot, now).catch((error: Error) =>
        this.logger.warn(`Behaviour findings of ${clusterId} failed: ${error.name}`),
      );
    }
  }

  private async evaluate(clusterId: string, snapshot: ClusterSnapshot, now: number) {
    const { behaviour, telemetry, forecasts } = this.configProvider.config;
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
    const unchanged =
      JSON.stringify(this.current.get(clusterId) ?? []) === JSON.stringify(findings);
    this.current.set(clusterId, findings);
    if (!unchanged) this.external.changed(clusterId);
  }
}
