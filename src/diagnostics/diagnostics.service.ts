import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { AppError } from '../common/app-error';
import { ConfigProvider } from '../config/config.provider';
import type { CodeSwitches } from './code-switches';
import {
  ClusterRef,
  ClusterSnapshot,
  ClusterSnapshots,
  firstSyncTimeout,
} from '../monitor/cluster-snapshot';
import { DiagnosticsIsolate } from './diagnostics-isolate';
import { RemoteDiagnostics } from './remote-diagnostics';
import { DiagnosticsMetrics } from './diagnostics.metrics';
import { ExternalFindings } from './external-findings';
import {
  ClusterHealthDto,
  FindingDto,
  FindingPageDto,
  FindingQueryDto,
  FleetDiagnosticsDto,
} from './diagnostics.dto';
import type { Finding } from '../cluster-state/finding';
import { healthScore } from './health-score';
import { HealthAnswers } from './health-answers';
import { MarkedFinding, SilencedFindings, streamChange } from './silenced-findings';
import { snapshotMetaLookup } from './silence-lookup';
import { SilencesService } from './silences.service';
import type { FindingListener } from './finding-board';

/** Changes within this window are evaluated together: far below the 1 s a change may take to show. */
export const DEBOUNCE_MS = 250;
/** Re-evaluation without changes, so "for long" conditions (not ready for 5 min) open on time. */
export const RESYNC_MS = 15_000;

export type FindingFilters = Partial<
  Pick<FindingQueryDto, 'namespace' | 'severity' | 'code' | 'kind' | 'silenced'>
>;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Diagnostics of every cluster: one live engine per cluster snapshot, started on first use and
 * kept up to date by the snapshot's watch events. The engines evaluate in the diagnostics isolate
 * (a worker thread, see diagnostics-isolate.ts); answers read the findings each evaluation
 * reported, held here. Nothing here sends a request to the API server. The LLM assistant calls
 * findings/finding/health directly.
 */
@Injectable()
export class DiagnosticsService implements OnApplicationShutdown {
  private readonly engines = new Map<string, RemoteDiagnostics>();
  /** Each engine's findings with their silence markers (silenced-findings.ts). */
  private readonly views = new Map<string, { view: SilencedFindings; stop: () => void }>();
  private readonly logger = new Logger('Diagnostics');
  private isolateStarted: DiagnosticsIsolate | undefined;
  /** Bumped by every change of any cluster's marked findings; see changeStamp. */
  private changes = 0;
  private readonly stamps = new Map<string, number>();
  /** Per cluster, the view's version the metrics were last counted at. */
  private readonly countedAt = new Map<string, number>();
  private readonly healthAnswers = new HealthAnswers();

  constructor(
    private readonly snapshots: ClusterSnapshots,
    private readonly directory: ClusterDirectory,
    private readonly configProvider: ConfigProvider,
    private readonly metrics: DiagnosticsMetrics,
    private readonly external: ExternalFindings,
    private readonly silences: SilencesService,
  ) {
    external.onChanged((clusterId) => {
      const engine = this.engines.get(clusterId);
      if (engine?.ready) void engine.evaluateInSlices();
    });
    // A silence created, ended or deleted changes markers and scores now, not at the next evaluation.
    silences.onChanged((clusterId) => {
      const engine = this.engines.get(clusterId);
      if (engine?.ready) this.remark(engine);
    });
  }

  async findings(
    clusterId: string,
    filters: FindingFilters & { limit?: number; offset?: number } = {},
  ): Promise<FindingPageDto> {
    const engine = await this.live(clusterId);
    const matching = this.viewOf(engine).list().filter(matches(filters)).sort(bySeverity);
    const limit = filters.limit ?? 100;
    const offset = filters.offset ?? 0;
    return {
      items: matching.slice(offset, offset + limit),
      total: matching.length,
      limit,
      offset,
      evaluatedAt: iso(engine.evaluatedAt),
    };
  }

  /**
   * A number that differs whenever the cluster's findings or their silence markers changed since
   * it was read (undefined before the cluster's diagnostics started). A periodic reader compares
   * it to skip an unchanged cluster instead of listing and sorting all its findings: at 10k pods
   * that cost the event loop 30–50 ms every scan.
   */
  changeStamp(clusterId: string): number | undefined {
    return this.stamps.get(clusterId);
  }

  /** One finding, silenced or not (its marker says so). */
  async finding(clusterId: string, findingId: string): Promise<FindingDto> {
    const found = this.viewOf(await this.live(clusterId)).get(findingId);
    if (!found)
      throw new AppError(
        'FINDING_NOT_FOUND',
        `No current finding ${findingId} in cluster ${clusterId}`,
        {
          cluster: clusterId,
          findingId,
        },
      );
    return found;
  }

  async health(clusterId: string): Promise<ClusterHealthDto> {
    const engine = await this.live(clusterId);
    const namespaces = engine.snapshot.list('namespaces').map((n) => n.name);
    return {
      ...this.healthAnswers.of(clusterId, this.viewOf(engine), namespaces, engine.size),
      evaluatedAt: iso(engine.evaluatedAt),
    };
  }

  /**
   * How to follow a cluster's finding changes (the SSE stream): subscribe returns the unsubscribe.
   * Without `includeSilenced` the changes keep the client's list what the list route answers.
   */
  async subscription(
    clusterId: string,
    includeSilenced = false,
  ): Promise<(listener: FindingListener) => () => void> {
    const view = this.viewOf(await this.live(clusterId));
    return (listener) =>
      view.onChange((change) => {
        const shown = streamChange(change, includeSilenced);
        if (shown) listener(shown);
      });
  }

  /** Score and counts per cluster, each within the fleet deadline; a failing cluster is its error. */
  fleet(): Promise<FleetDiagnosticsDto> {
    return this.snapshots.fleet(
      async (snapshot, cluster) => {
        const engine = await this.evaluated(snapshot, cluster);
        const { score, counts } = healthScore(this.viewOf(engine).counted());
        return { score, counts, evaluatedAt: iso(engine.evaluatedAt) };
      },
      { failure: 'Diagnostics of the cluster failed', route: '/api/v1/diagnostics' },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    for (const { stop } of this.views.values()) stop();
    this.views.clear();
    this.stamps.clear();
    this.countedAt.clear();
    this.healthAnswers.clear();
    for (const [id, engine] of this.engines) {
      engine.stop();
      this.metrics.forget(id);
    }
    this.engines.clear();
    await this.isolateStarted?.close();
  }

  /** The worker starts with the first cluster diagnosed, not with the process. */
  private get isolate(): DiagnosticsIsolate {
    this.isolateStarted ??= new DiagnosticsIsolate(
      this.configProvider.config.diagnostics.isolation,
      (error) => this.logger.error(`Diagnostics worker failed: ${error.message}`),
    );
    return this.isolateStarted;
  }

  /** The cluster's live diagnostics, evaluated at least once; waits for the first sync up to the fleet deadline. */
  private async live(clusterId: string): Promise<RemoteDiagnostics> {
    const cluster = await this.directory.get(clusterId);
    return this.evaluated(await this.snapshots.settled(cluster.id), cluster);
  }

  /** The engine of a settled (or timed-out) snapshot once it has evaluated, or why it cannot. */
  private async evaluated(
    snapshot: ClusterSnapshot,
    cluster: ClusterRef,
  ): Promise<RemoteDiagnostics> {
    const engine = this.engineFor(snapshot);
    // The first evaluation runs in the worker: a request waits for it, the event loop does not.
    if (!engine.ready) await engine.evaluateInSlices();
    if (!engine.ready && !snapshot.down && !this.isolate.available)
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        'Diagnostics are unavailable: their worker thread kept exiting (the log says why)',
        { cluster: cluster.id },
      );
    if (snapshot.down)
      throw new AppError(
        'CLUSTER_UNREACHABLE',
        `Cluster ${cluster.name} cannot be read: no diagnostics without live data`,
        { cluster: cluster.id },
      );
    if (!engine.ready) throw firstSyncTimeout(cluster, this.snapshots.firstSyncDeadlineMs);
    return engine;
  }

  private switches(): CodeSwitches {
    const { disabledCodes, unusedObjects } = this.configProvider.config.diagnostics;
    return { disabledCodes, unusedObjects };
  }

  /** One engine per snapshot; a snapshot replaced by the Monitor (new credentials) gets a new one. */
  private engineFor(snapshot: ClusterSnapshot): RemoteDiagnostics {
    const existing = this.engines.get(snapshot.clusterId);
    if (existing?.snapshot === snapshot) return existing;
    existing?.stop();
    this.views.get(snapshot.clusterId)?.stop();
    this.countedAt.delete(snapshot.clusterId);
    const engine = new RemoteDiagnostics(snapshot, this.isolate, {
      debounceMs: DEBOUNCE_MS,
      resyncMs: RESYNC_MS,
      switches: this.switches(),
      // Annotations arrive with their objects' changes: the markers follow the next evaluation.
      onEvaluated: (e) => this.remark(e, e.evaluationMs),
      external: () => this.external.of(snapshot.clusterId),
    });
    const view = new SilencedFindings(
      engine,
      () => this.silences.of(snapshot.clusterId),
      snapshotMetaLookup(snapshot),
      Date.now,
      (listener) => snapshot.subscribe(listener),
    );
    const bump = () => this.stamps.set(snapshot.clusterId, ++this.changes);
    bump();
    const stopRelay = view.start();
    const stopStamps = view.onChange(bump);
    const stop = () => {
      stopStamps();
      stopRelay();
    };
    this.views.set(snapshot.clusterId, { view, stop });
    this.engines.set(snapshot.clusterId, engine);
    engine.start();
    return engine;
  }

  private viewOf(engine: RemoteDiagnostics): SilencedFindings {
    return this.views.get(engine.snapshot.clusterId)!.view;
  }

  /**
   * Markers recomputed (announcing each change), then the metrics of what costs points. After an
   * evaluation (`evaluationMs` given) only what may have changed is redone: a resync of a quiet
   * cluster changes nothing, and walking its 20,000 findings held the event loop ~50 ms.
   */
  private remark(engine: RemoteDiagnostics, evaluationMs?: number): void {
    const { clusterId } = engine.snapshot;
    const view = this.viewOf(engine);
    if (evaluationMs === undefined) view.refresh();
    else view.refreshAfterEvaluation();
    if (this.countedAt.get(clusterId) !== view.version) {
      this.countedAt.set(clusterId, view.version);
      this.metrics.update(clusterId, view.counted());
    }
    if (evaluationMs !== undefined) this.metrics.evaluated(clusterId, evaluationMs);
  }
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 };

const bySeverity = (a: Finding, b: Finding): number =>
  SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
  a.code.localeCompare(b.code) ||
  `${a.object.namespace}/${a.object.name}`.localeCompare(`${b.object.namespace}/${b.object.name}`);

function matches(filters: FindingFilters): (f: MarkedFinding) => boolean {
  return (f) =>
    (filters.silenced === true || !f.silenced) &&
    (filters.namespace === undefined || f.object.namespace === filters.namespace) &&
    (filters.severity === undefined || f.severity === filters.severity) &&
    (filters.code === undefined || f.code === filters.code) &&
    (filters.kind === undefined || f.object.kind.toLowerCase() === filters.kind.toLowerCase());
}
