import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ConfigProvider } from '../config/config.provider';
import { PeriodicJob, PeriodicJobs } from '../coordination/periodic-jobs';
import { OutboundError, OutboundHttp } from '../outbound/outbound-http';
import { NotificationDelivery } from './notification-delivery.entity';
import { NotificationEventRow } from './notification-event.entity';
import type { NotificationEvent } from './notification-event';
import { NotificationRoute } from './notification-route.entity';
import { OutboxStore } from './outbox-store';
import { RateLimiter } from './rate-limiter';
import { retryDelayMs } from './retry-delay';
import { RouteCipher } from './route-cipher';
import { batchLimit, CloudEventsMode, TargetType } from './target-payloads';
import { prepareRequest } from './target-request';

const SEND_EVERY_MS = 1000;
/** Batches one route sends per drain before yielding to the next tick. */
const ROUNDS = 20;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Leader-only: sends what the outbox holds. Each route drains on its own (a slow or dead target
 * delays only itself), one request at a time, in pages read from the database: the head pending
 * delivery of each finding for that route, due now, oldest first. A 2xx marks the batch
 * delivered; anything else counts a try and waits an exponential, jittered delay, until
 * notifications.maxAttempts dead-letters it. A new leader picks up exactly what is still pending.
 */
@Injectable()
export class OutboxSender {
  private readonly logger = new Logger('Notifications');
  private readonly draining = new Map<string, Promise<void>>();
  private readonly limiter = new RateLimiter();
  private readonly job: PeriodicJob<number>;
  private readonly http: OutboundHttp;

  constructor(
    @InjectRepository(NotificationDelivery)
    private readonly deliveries: Repository<NotificationDelivery>,
    @InjectRepository(NotificationEventRow)
    private readonly events: Repository<NotificationEventRow>,
    private readonly store: OutboxStore,
    private readonly cipher: RouteCipher,
    private readonly configProvider: ConfigProvider,
    jobs: PeriodicJobs,
  ) {
    this.http = new OutboundHttp({
      allowLoopback: configProvider.config.notifications.allowLoopbackTargets,
    });
    this.job = jobs.register({
      name: 'notifications-send',
      everyMs: SEND_EVERY_MS,
      runsOn: 'leader',
      tick: (now) => this.startDrains(now),
    });
  }

  /** Starts a drain for every route that has none running; returns how many started. */
  async send(now = Date.now()): Promise<number> {
    return (await this.job.run(now)) ?? 0;
  }

  private async startDrains(now: number): Promise<number> {
    let started = 0;
    for (const route of await this.store.allRoutes()) {
      if (this.draining.has(route.id)) continue;
      const drain = this.drain(route, now)
        .catch((error: Error) => this.logger.warn(`Route ${route.name}: ${error.message}`))
        .finally(() => this.draining.delete(route.id));
      this.draining.set(route.id, drain);
      started++;
    }
    return started;
  }

  private async drain(route: NotificationRoute, startedAt: number): Promise<void> {
    const type = route.targetType as TargetType;
    const limit = batchLimit(type, route.mode as CloudEventsMode);
    for (let round = 0; round < ROUNDS; round++) {
      const now = Math.max(startedAt, Date.now());
      const heads = await this.heads(route.id, now, limit);
      if (!heads.length) return;
      if (!this.limiter.take(route.id, route.ratePerMinute, now)) return;
      const ok = await this.deliver(route, heads, now);
      if (!ok) return;
    }
  }

  /** The due head of each subject's queue for a route: later events of a subject wait for it. */
  private heads(routeId: string, now: number, limit: number): Promise<NotificationDelivery[]> {
    return this.deliveries
      .createQueryBuilder('d')
      .where('d.route_id = :routeId AND d.status = :pending AND d.next_attempt_at <= :now', {
        routeId,
        pending: 'pending',
        now: iso(now),
      })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM notification_delivery p WHERE p.route_id = d.route_id' +
          ' AND p.subject = d.subject AND p.status = :pending AND p.id < d.id)',
      )
      .orderBy('d.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  private async deliver(
    route: NotificationRoute,
    batch: NotificationDelivery[],
    now: number,
  ): Promise<boolean> {
    const rows = await this.events.findBy({ id: In(batch.map((d) => d.eventId)) });
    const byId = new Map(rows.map((row) => [row.id, JSON.parse(row.payload) as NotificationEvent]));
    const events = batch.map((d) => byId.get(d.eventId)!);
    const failure = await this.attempt(route, events, now);
    if (failure === undefined) {
      await this.deliveries.update(
        { id: In(batch.map((d) => d.id)) },
        { status: 'delivered', deliveredAt: iso(Date.now()), lastError: null },
      );
      await this.countTry(batch);
      return true;
    }
    await this.fail(batch, failure, now);
    return false;
  }

  /** undefined on a 2xx, else why not: a status or a connection reason, never the URL. */
  private async attempt(
    route: NotificationRoute,
    events: NotificationEvent[],
    now: number,
  ): Promise<string | undefined> {
    const { timeoutSeconds } = this.configProvider.config.notifications;
    try {
      const target = this.cipher.open(route.id, route.sealed);
      const request = prepareRequest(
        route.targetType as TargetType,
        route.mode as CloudEventsMode,
        target,
        events,
        now,
      );
      const res = await this.http.post({ ...request, timeoutMs: timeoutSeconds * 1000 });
      if (res.status >= 200 && res.status < 300) return undefined;
      return `HTTP ${res.status}: ${res.body.slice(0, 200)}`;
    } catch (error) {
      if (error instanceof OutboundError) return `${error.reason}: ${error.message}`;
      return `cannot send: ${(error as Error).name}`;
    }
  }

  private async countTry(batch: NotificationDelivery[]): Promise<void> {
    await this.deliveries.increment({ id: In(batch.map((d) => d.id)) }, 'attempts', 1);
  }

  private async fail(batch: NotificationDelivery[], reason: string, now: number): Promise<void> {
    const { maxAttempts, retryBaseSeconds, retryMaxSeconds } =
      this.configProvider.config.notifications;
    for (const d of batch) {
      const attempts = d.attempts + 1;
      const dead = attempts >= maxAttempts;
      const wait = retryDelayMs(attempts, retryBaseSeconds * 1000, retryMaxSeconds * 1000);
      await this.deliveries.update(
        { id: d.id },
        {
          attempts,
          status: dead ? 'dead' : 'pending',
          nextAttemptAt: iso(now + wait),
          lastError: reason.slice(0, 512),
        },
      );
    }
  }
}
