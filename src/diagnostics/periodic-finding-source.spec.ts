import { SchedulerRegistry } from '@nestjs/schedule';
import type { EvaluatedFinding } from '../cluster-state/finding';
import type { ConfigProvider } from '../config/config.provider';
import { PeriodicJobs } from '../coordination/periodic-jobs';
import { SoleReplicaCoordination } from '../coordination/sole-replica.coordination';
import { MetricsService } from '../health/metrics.service';
import type { ClusterSnapshot, ClusterSnapshots } from '../monitor/cluster-snapshot';
import { ExternalFindings } from './external-findings';
import { FindingSourceRuntime, PeriodicFindingSource } from './periodic-finding-source';

const finding = (clusterId: string, code: string): EvaluatedFinding => ({
  id: `${clusterId}-${code}`,
  clusterId,
  code,
  severity: 'warning',
  source: 'forecast',
  object: { group: '', kind: 'Cluster', namespace: '', name: clusterId },
  message: code,
  evidence: { fields: {}, events: [] },
  suggestion: '',
  count: 1,
});

const snapshot = (state: { settled: boolean; down?: boolean }) =>
  ({ settled: state.settled, down: state.down ?? false }) as unknown as ClusterSnapshot;

/** A source whose answers the test sets per cluster; a missing answer throws. */
class TestSource extends PeriodicFindingSource {
  readonly answers = new Map<string, string[]>();
  readonly forgotten: string[] = [];
  readonly computed: string[] = [];

  constructor(runtime: FindingSourceRuntime) {
    super(runtime, 'test', 'test-findings', () => 60);
  }

  protected async compute(clusterId: string): Promise<EvaluatedFinding[]> {
    this.computed.push(clusterId);
    const codes = this.answers.get(clusterId);
    if (!codes) throw new Error(`no answer for ${clusterId}`);
    return codes.map((code) => finding(clusterId, code));
  }

  protected override forget(clusterId: string): void {
    this.forgotten.push(clusterId);
  }
}

describe('PeriodicFindingSource', () => {
  let running: Map<string, ClusterSnapshot>;
  let external: ExternalFindings;
  let jobs: PeriodicJobs;
  let source: TestSource;
  let changed: string[];

  beforeEach(() => {
    running = new Map();
    external = new ExternalFindings();
    jobs = new PeriodicJobs(
      new SoleReplicaCoordination('r1'),
      new MetricsService(),
      new SchedulerRegistry(),
    );
    const snapshots = { all: () => running } as unknown as ClusterSnapshots;
    const config = { config: {} } as ConfigProvider;
    source = new TestSource(new FindingSourceRuntime(snapshots, external, jobs, config));
    source.onApplicationBootstrap();
    changed = [];
    external.onChanged((clusterId) => changed.push(clusterId));
  });
  afterEach(() => {
    source.onModuleDestroy();
    jobs.onModuleDestroy();
  });

  it('serves what the last tick computed and asks for a re-evaluation only when it changed', async () => {
    running.set('a', snapshot({ settled: true }));
    source.answers.set('a', ['X']);
    await source.refreshAll(1);
    expect(external.of('a').map((f) => f.code)).toEqual(['X']);
    await source.refreshAll(2);
    expect(changed).toEqual(['a']);
    source.answers.set('a', []);
    await source.refreshAll(3);
    expect([external.of('a'), changed]).toEqual([[], ['a', 'a']]);
  });

  it('leaves clusters on their first sync or down alone', async () => {
    running.set('syncing', snapshot({ settled: false }));
    running.set('down', snapshot({ settled: true, down: true }));
    await source.refreshAll(1);
    expect(source.computed).toEqual([]);
  });

  it('keeps the last findings of a cluster whose computation fails, and goes on with the others', async () => {
    running.set('a', snapshot({ settled: true }));
    running.set('b', snapshot({ settled: true }));
    source.answers.set('a', ['X']);
    source.answers.set('b', ['Y']);
    await source.refreshAll(1);
    source.answers.delete('a');
    source.answers.set('b', ['Z']);
    await source.refreshAll(2);
    expect([...external.of('a'), ...external.of('b')].map((f) => f.code)).toEqual(['X', 'Z']);
  });

  it("drops a removed cluster's findings and tells the subclass to forget it", async () => {
    running.set('a', snapshot({ settled: true }));
    source.answers.set('a', ['X']);
    await source.refreshAll(1);
    running.delete('a');
    await source.refreshAll(2);
    expect([external.of('a'), source.forgotten]).toEqual([[], ['a']]);
  });

  it('stops serving findings once the module is destroyed', async () => {
    running.set('a', snapshot({ settled: true }));
    source.answers.set('a', ['X']);
    await source.refreshAll(1);
    source.onModuleDestroy();
    expect(external.of('a')).toEqual([]);
  });
});
