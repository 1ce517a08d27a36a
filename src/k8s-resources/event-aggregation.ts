/** A core/v1 Event as far as CloudPilot reads it. */
export interface K8sEvent {
  metadata: { name: string; namespace?: string; creationTimestamp?: string };
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string };
  reportingComponent?: string;
}

export interface EventRow {
  type: string;
  reason: string;
  message: string;
  object: { kind: string; name: string; namespace: string | null };
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  source: string | null;
}

function lastSeen(e: K8sEvent): string | null {
  return (
    e.series?.lastObservedTime ??
    e.lastTimestamp ??
    e.eventTime ??
    e.metadata.creationTimestamp ??
    null
  );
}

function firstSeen(e: K8sEvent): string | null {
  return e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? null;
}

function occurrences(e: K8sEvent): number {
  return Math.max(e.series?.count ?? 0, e.count ?? 0, 1);
}

/**
 * Folds repeated events (same object, type, reason and message) into one row with the summed
 * count and the first and last time seen, newest first — what `kubectl events` shows, without the
 * near-duplicates that recorders emit under different event names.
 */
export function aggregateEvents(events: readonly K8sEvent[], since?: Date): EventRow[] {
  const rows = new Map<string, EventRow>();
  for (const e of events) {
    const seen = lastSeen(e);
    if (since && seen && Date.parse(seen) < since.getTime()) continue;
    const object = {
      kind: e.involvedObject.kind ?? '',
      name: e.involvedObject.name ?? '',
      namespace: e.involvedObject.namespace ?? e.metadata.namespace ?? null,
    };
    const key = JSON.stringify([
      object.kind,
      object.namespace,
      object.name,
      e.type,
      e.reason,
      e.message,
    ]);
    const row = rows.get(key);
    if (!row) {
      rows.set(key, {
        type: e.type ?? 'Normal',
        reason: e.reason ?? '',
        message: e.message ?? '',
        object,
        count: occurrences(e),
        firstSeen: firstSeen(e),
        lastSeen: seen,
        source: e.reportingComponent || e.source?.component || null,
      });
      continue;
    }
    row.count += occurrences(e);
    if (seen && (!row.lastSeen || seen > row.lastSeen)) row.lastSeen = seen;
    const first = firstSeen(e);
    if (first && (!row.firstSeen || first < row.firstSeen)) row.firstSeen = first;
  }
  return [...rows.values()].sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
}

const RELATIVE = /^(\d{1,6})([smhd])$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `since` as an ISO-8601 instant or a relative window (30s, 15m, 2h, 7d); undefined when invalid. */
export function parseSince(value: string, now = Date.now()): Date | undefined {
  const relative = RELATIVE.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2]]);
  const at = Date.parse(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(at) ? new Date(at) : undefined;
}
