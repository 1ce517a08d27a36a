import type { Finding, Severity } from '../cluster-state/finding';
import type { EventType, NotificationEvent } from './notification-event';

/** What was last notified about one finding: the outbox's memory, in the database. */
export interface NotifiedState {
  findingId: string;
  clusterId: string;
  severity: Severity;
  /** Events told so far about this finding, across its openings: the next event's number. */
  seq: number;
  open: boolean;
  /** The finding as last notified: what its resolution tells. */
  finding: Finding;
}

export interface FindingDiff {
  events: NotificationEvent[];
  states: NotifiedState[];
}

function event(
  type: EventType,
  finding: Finding,
  state: NotifiedState,
  now: string,
  previousSeverity?: Severity,
): NotificationEvent {
  return {
    // The same change gets the same key after a restart or on a new leader: the number of
    // events before it is in the database, so a receiver deduplicates by it.
    id: `${finding.id}#${state.seq}`,
    type,
    time: now,
    clusterId: finding.clusterId,
    subject: finding.id,
    finding,
    ...(previousSeverity ? { previousSeverity } : {}),
  };
}

/**
 * The events between what was notified and a cluster's current findings: a finding not open
 * before has opened (a forecast's is a crossing), one whose severity moved has changed, and one
 * notified open but gone has resolved. Comparing states rather than relaying each change the
 * board emits is what makes the outbox exact across restarts: a process that died between a
 * change and its commit finds the difference again, and one already committed is never repeated.
 * A resolved finding is told in its last notified form: the board no longer has it.
 */
export function diffFindings(
  clusterId: string,
  notified: Map<string, NotifiedState>,
  current: Finding[],
  now: string,
): FindingDiff {
  const events: NotificationEvent[] = [];
  const states: NotifiedState[] = [];
  const seen = new Set<string>();
  for (const finding of current) {
    seen.add(finding.id);
    const before = notified.get(finding.id);
    const state = before ?? {
      findingId: finding.id,
      clusterId,
      severity: finding.severity,
      seq: 0,
      open: false,
      finding,
    };
    let type: EventType | undefined;
    if (!state.open) type = finding.source === 'forecast' ? 'forecast.crossing' : 'finding.opened';
    else if (state.severity !== finding.severity) type = 'finding.severity_changed';
    if (!type) continue;
    const previous = state.open ? state.severity : undefined;
    events.push(event(type, finding, state, now, previous));
    states.push({ ...state, severity: finding.severity, seq: state.seq + 1, open: true, finding });
  }
  for (const state of notified.values()) {
    if (!state.open || seen.has(state.findingId)) continue;
    events.push(event('finding.resolved', state.finding, state, now));
    states.push({ ...state, seq: state.seq + 1, open: false });
  }
  return { events, states };
}
