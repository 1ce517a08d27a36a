import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { ClusterDirectory } from '../cluster-registry/cluster-directory';
import { ConfigProvider } from '../config/config.provider';
import { NotificationDelivery } from './notification-delivery.entity';
import { NotificationEventRow } from './notification-event.entity';
import { matchFields, NotificationEvent } from './notification-event';
import { NotificationRoute } from './notification-route.entity';
import { RouteMatch, routeMatches } from './route-match';

const CHUNK = 200;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Appends events to the outbox inside the caller's transaction: the events, and one pending
 * delivery per matching route, due once the route's grouping window has passed. Nothing is sent
 * here; the sender reads what this committed.
 */
@Injectable()
export class OutboxStore {
  constructor(
    @InjectRepository(NotificationRoute) private readonly routes: Repository<NotificationRoute>,
    private readonly directory: ClusterDirectory,
    private readonly configProvider: ConfigProvider,
  ) {}

  /**
   * Every route, in the caller's transaction when given. Events are matched against the routes
   * read after what they tell was observed: a list read earlier misses a route created in between,
   * and its events would be committed without a delivery to it, for good.
   */
  allRoutes(tx?: EntityManager): Promise<NotificationRoute[]> {
    return (tx ?? this.routes.manager).find(NotificationRoute, { order: { createdAt: 'ASC' } });
  }

  /** The link a person follows, when CloudPilot knows its public URL. */
  link(event: NotificationEvent): string | undefined {
    const base = this.configProvider.config.notifications.publicUrl?.replace(/\/+$/, '');
    if (!base) return undefined;
    if (event.finding)
      return `${base}/api/v1/clusters/${event.clusterId}/diagnostics/${event.finding.id}`;
    return event.proposal ? `${base}/api/v1/llm/proposals/${event.proposal.id}` : undefined;
  }

  /**
   * Commits events with a delivery for each route that matches them, or, with `only`, for that
   * one route whatever its match (a route's own reminders).
   */
  async append(
    tx: EntityManager,
    events: NotificationEvent[],
    routes: NotificationRoute[],
    now: number,
    only?: NotificationRoute,
  ): Promise<number> {
    const names = await this.clusterNames();
    for (let i = 0; i < events.length; i += CHUNK) {
      const chunk = events.slice(i, i + CHUNK).map((e) => ({ ...e, link: this.link(e) }));
      await tx.insert(
        NotificationEventRow,
        chunk.map((e) => ({
          key: e.id,
          type: e.type,
          clusterId: e.clusterId,
          payload: JSON.stringify(e),
          createdAt: iso(now),
        })),
      );
      const stored = await tx.find(NotificationEventRow, {
        select: { id: true, key: true },
        where: { key: In(chunk.map((e) => e.id)) },
      });
      const ids = new Map(stored.map((row) => [row.key, row.id]));
      const deliveries = chunk.flatMap((event) =>
        (only
          ? [only]
          : routes.filter((r) => this.matches(r, event, names.get(event.clusterId)))
        ).map((route) => delivery(ids.get(event.id)!, route, event.subject, now)),
      );
      for (let j = 0; j < deliveries.length; j += CHUNK)
        await tx.insert(NotificationDelivery, deliveries.slice(j, j + CHUNK));
    }
    return events.length;
  }

  matches(route: NotificationRoute, event: NotificationEvent, clusterName?: string): boolean {
    return routeMatches(JSON.parse(route.match) as RouteMatch, matchFields(event), clusterName);
  }

  async clusterNames(): Promise<Map<string, string>> {
    const clusters = await this.directory.list().catch(() => []);
    return new Map(clusters.map((c) => [c.id, c.name]));
  }
}

function delivery(
  eventId: number,
  route: NotificationRoute,
  subject: string,
  now: number,
): Partial<NotificationDelivery> {
  return {
    eventId,
    routeId: route.id,
    subject,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: iso(now + route.groupWaitSeconds * 1000),
    lastError: null,
    deliveredAt: null,
    createdAt: iso(now),
  };
}
