import { SchedulerRegistry } from '@nestjs/schedule';
import type { Repository } from 'typeorm';
import type { Finding } from '../cluster-state/finding';
import type { ConfigProvider } from '../config/config.provider';
import { PeriodicJobs } from '../coordination/periodic-jobs';
import { SoleReplicaCoordination } from '../coordination/sole-replica.coordination';
import type { DiagnosticsService } from '../diagnostics/diagnostics.service';
import { MetricsService } from '../health/metrics.service';
import type { LlmProposal } from '../llm/proposals/llm-proposal.entity';
import type { ClusterSnapshots } from '../monitor/cluster-snapshot';
import type { NotificationEvent } from './notification-event';
import type { NotificationRoute } from './notification-route.entity';
import type { NotifiedFinding } from './notified-finding.entity';
import type { OutboxReminders } from './outbox-reminders';
import { OutboxRecorder } from './outbox-recorder';
import type { OutboxStore } from './outbox-store';

const NOW = Date.parse('2026-12-07T20:00:00.000Z');
const ROUTE = { id: 'route-1', match: '{}' } as NotificationRoute;

const orphan = (i: number): Finding => ({
  id: `${i}`.padStart(16, 'a'),
  clusterId: 'c1',
  code: 'SERVICE_NO_MATCHING_PODS',
  severity: 'warning',
  source: 'kubernetes',
  object: { group: '', kind: 'Service', namespace: 'shop', name: `orphan-${i}` },
  message: 'The selector matches no pod: the Service has no backend.',
  evidence: { fields: {}, objects: [], events: [] },
  suggestion: '',
  count: 1,
  firstSeen: new Date(NOW).toISOString(),
  lastSeen: new Date(NOW).toISOString(),
});

/**
 * The outbox as the recorder uses it, in memory: the routes that exist now, and each append with
 * the routes its events were matched against.
 */
function memoryStore() {
  const routes: NotificationRoute[] = [];
  const appended: { events: NotificationEvent[]; routes: NotificationRoute[] }[] = [];
  const store = {
    allRoutes: async () => [...routes],
    append: async (_tx: unknown, events: NotificationEvent[], matched: NotificationRoute[]) => {
      appended.push({ events, routes: matched });
      return events.length;
    },
  } as unknown as OutboxStore;
  return { store, routes, appended };
}

/**
 * A recorder of one cluster on a sole replica. `findings` answers the diagnostics' findings, and
 * `pending` the proposals waiting: each may change the store on the way, as the API does while a
 * scan waits for them.
 */
function recorder(
  store: OutboxStore,
  findings: () => Promise<Finding[]>,
  pending: () => Promise<LlmProposal[]> = async () => [],
) {
  const tx = { upsert: async () => undefined, find: async () => [] };
  const notified = {
    find: async () => [],
    manager: { transaction: (work: (t: typeof tx) => Promise<number>) => work(tx) },
  } as unknown as Repository<NotifiedFinding>;
  const proposals = {
    find: pending,
    manager: { transaction: (work: (t: typeof tx) => Promise<number>) => work(tx) },
  } as unknown as Repository<LlmProposal>;
  const diagnostics = {
    changeStamp: () => undefined,
    findings: async () => ({ items: await findings() }),
  } as unknown as DiagnosticsService;
  const snapshots = { all: () => new Map([['c1', {}]]) } as unknown as ClusterSnapshots;
  const reminders = { record: async () => 0 } as unknown as OutboxReminders;
  const config = {
    config: { notifications: { scanIntervalSeconds: 1 }, sharding: { enabled: false } },
  } as unknown as ConfigProvider;
  const replica = new SoleReplicaCoordination('r1');
  const jobs = new PeriodicJobs(replica, new MetricsService(), new SchedulerRegistry());
  return new OutboxRecorder(
    notified,
    proposals,
    store,
    reminders,
    diagnostics,
    snapshots,
    replica,
    config,
    jobs,
  );
}

describe('OutboxRecorder', () => {
  it('matches changes against the routes that exist once their findings are read', async () => {
    // A cluster's first scan waits for its first sync: a route created meanwhile (before the
    // Services whose findings that scan then reads) must take their openings.
    const { store, routes, appended } = memoryStore();
    const scan = recorder(store, async () => {
      routes.push(ROUTE);
      return [orphan(1), orphan(2)];
    });
    await expect(scan.scan(NOW)).resolves.toBe(2);
    expect(appended).toHaveLength(1);
    expect(appended[0].events.map((e) => e.type)).toEqual(['finding.opened', 'finding.opened']);
    expect(appended[0].routes).toEqual([ROUTE]);
  });

  it('matches a waiting proposal against the routes that exist once it is read', async () => {
    const { store, routes, appended } = memoryStore();
    const proposal = {
      id: 'p1',
      clusterId: 'c1',
      status: 'pending',
      action: 'restart',
      targetKind: 'Deployment',
      targetNamespace: 'shop',
      targetName: 'cart',
      reason: 'crash loop',
      expiresAt: new Date(NOW + 60_000).toISOString(),
    } as LlmProposal;
    const scan = recorder(
      store,
      async () => [],
      async () => {
        routes.push(ROUTE);
        return [proposal];
      },
    );
    await expect(scan.scan(NOW)).resolves.toBe(1);
    expect(appended.map((a) => [a.events[0].id, a.routes])).toEqual([['proposal:p1', [ROUTE]]]);
  });
});
