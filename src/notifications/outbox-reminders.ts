import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThanOrEqual, MoreThan, Repository } from 'typeorm';
import type { Finding } from '../cluster-state/finding';
import { NotificationEventRow } from './notification-event.entity';
import type { NotificationEvent } from './notification-event';
import { NotificationRoute } from './notification-route.entity';
import { NotifiedFinding } from './notified-finding.entity';
import { OutboxStore } from './outbox-store';

const PAGE = 500;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * A route's repeat interval: a finding still open that long after it was last told about is told
 * again, to that route only, once per interval slot (the slot is in the event key, so a restart
 * or a new leader within the slot does not repeat it). Alertmanager needs this: an alert not
 * re-posted within its resolve_timeout is resolved by Alertmanager itself.
 */
@Injectable()
export class OutboxReminders {
  private readonly doneSlot = new Map<string, number>();

  constructor(
    @InjectRepository(NotifiedFinding) private readonly notified: Repository<NotifiedFinding>,
    private readonly store: OutboxStore,
  ) {}

  async record(routes: NotificationRoute[], now: number): Promise<number> {
    let committed = 0;
    for (const route of routes.filter((r) => r.repeatIntervalSeconds > 0)) {
      const everyMs = route.repeatIntervalSeconds * 1000;
      const slot = Math.floor(now / everyMs);
      if (this.doneSlot.get(route.id) === slot) continue;
      committed += await this.remind(route, slot, now - everyMs, now);
      this.doneSlot.set(route.id, slot);
    }
    return committed;
  }

  /** Pages through open findings told about before `quietSince`; the database holds the queue. */
  private async remind(
    route: NotificationRoute,
    slot: number,
    quietSince: number,
    now: number,
  ): Promise<number> {
    const names = await this.store.clusterNames();
    let committed = 0;
    for (let after = ''; ;) {
      const page = await this.notified.find({
        where: {
          open: true,
          updatedAt: LessThanOrEqual(iso(quietSince)),
          findingId: MoreThan(after),
        },
        order: { findingId: 'ASC' },
        take: PAGE,
      });
      if (!page.length) return committed;
      after = page[page.length - 1].findingId;
      const events = page
        .map((row) => reminder(row, route, slot, now))
        // A reminder is the opening told again: a route taking openings takes their reminders.
        .filter((e) =>
          [e, { ...e, type: 'finding.opened' as const }].some((as) =>
            this.store.matches(route, as, names.get(e.clusterId)),
          ),
        );
      committed += await this.commitNew(events, route, now);
    }
  }

  private commitNew(events: NotificationEvent[], route: NotificationRoute, now: number) {
    if (!events.length) return Promise.resolve(0);
    return this.notified.manager.transaction(async (tx) => {
      const told = await tx.find(NotificationEventRow, {
        select: { key: true },
        where: { key: In(events.map((e) => e.id)) },
      });
      const known = new Set(told.map((row) => row.key));
      const fresh = events.filter((e) => !known.has(e.id));
      return fresh.length ? this.store.append(tx, fresh, [route], now, route) : 0;
    });
  }
}

function reminder(
  row: NotifiedFinding,
  route: NotificationRoute,
  slot: number,
  now: number,
): NotificationEvent {
  const finding = JSON.parse(row.finding) as Finding;
  return {
    id: `${row.findingId}#${row.seq}@${route.id.slice(0, 8)}:${slot}`,
    type: 'finding.reminder',
    time: iso(now),
    clusterId: row.clusterId,
    subject: row.findingId,
    finding,
  };
}
