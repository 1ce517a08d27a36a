import type { ClusterSnapshot } from '../monitor/cluster-snapshot';
import { ClusterDiagnostics, FindingChange } from './cluster-diagnostics';
import type { EvaluatedFinding } from '../cluster-state/finding';
import { ExternalFindings } from './external-findings';

/** A settled snapshot of an empty cluster: every finding below comes from outside. */
const emptySnapshot = {
  clusterId: 'c1',
  settled: true,
  list: () => [],
  get: () => undefined,
  caches: () => false,
  status: () => ({}),
  subscribe: () => () => undefined,
  aggregates: { allocation: () => undefined },
} as unknown as ClusterSnapshot;

const forecastFinding = (severity: EvaluatedFinding['severity']): EvaluatedFinding => ({
  id: 'f1',
  clusterId: 'c1',
  code: 'FORECAST_POD_CAPACITY',
  severity,
  source: 'forecast',
  object: { group: '', kind: 'Cluster', namespace: '', name: 'prod' },
  message: 'Pods reach capacity in 2.0 days',
  evidence: { fields: {}, events: [] },
  suggestion: 'Add nodes.',
  count: 1,
});

describe('ExternalFindings', () => {
  it("gives every source's findings of a cluster, and skips a source that throws", () => {
    const external = new ExternalFindings();
    external.register({
      name: 'broken',
      findings: () => {
        throw new Error('boom');
      },
    });
    external.register({
      name: 'forecasts',
      findings: (id) => (id === 'c1' ? [forecastFinding('info')] : []),
    });
    expect(external.of('c1').map((f) => f.code)).toEqual(['FORECAST_POD_CAPACITY']);
    expect(external.of('c2')).toEqual([]);
  });

  it('tells its listeners which cluster changed', () => {
    const external = new ExternalFindings();
    const seen: string[] = [];
    external.onChanged((id) => seen.push(id));
    external.changed('c1');
    expect(seen).toEqual(['c1']);
  });
});

describe('ClusterDiagnostics with external findings', () => {
  it('merges them into each evaluation: opened, updated when they change, resolved when gone', async () => {
    let current: EvaluatedFinding[] = [forecastFinding('info')];
    const engine = new ClusterDiagnostics(emptySnapshot, {
      debounceMs: 250,
      resyncMs: 60_000,
      external: () => current,
    });
    const changes: FindingChange[] = [];
    engine.onChange((c) => changes.push(c));
    await engine.evaluateInSlices(1000);
    current = [forecastFinding('critical')];
    await engine.evaluateInSlices(2000);
    current = [];
    await engine.evaluateInSlices(3000);
    expect(changes.map((c) => [c.type, c.finding.severity])).toEqual([
      ['opened', 'info'],
      ['updated', 'critical'],
      ['resolved', 'critical'],
    ]);
    engine.stop();
  });
});
