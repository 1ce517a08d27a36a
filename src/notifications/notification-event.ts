import type { Finding, Severity } from '../cluster-state/finding';

/** What CloudPilot tells the outside world about; a route picks some of them. */
export const EVENT_TYPES = [
  'finding.opened',
  'finding.severity_changed',
  'finding.resolved',
  'forecast.crossing',
  'proposal.pending',
  'finding.reminder',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A proposal waiting for an operator, as a notification shows it (never its manifest). */
export interface ProposalSummary {
  id: string;
  action: string;
  target: { kind: string; namespace: string | null; name: string | null };
  reason: string;
  expiresAt: string;
}

/**
 * One event as committed to the outbox and as every target receives it. `id` is the idempotency
 * key: the same change always has the same id, so a receiver that sees it twice (at-least-once
 * delivery) drops the copy. `subject` is what order is kept for (a finding, a proposal).
 */
export interface NotificationEvent {
  id: string;
  type: EventType;
  time: string;
  clusterId: string;
  subject: string;
  finding?: Finding;
  previousSeverity?: Severity;
  proposal?: ProposalSummary;
  /** Where a person sees it in CloudPilot (when notifications.publicUrl is set). */
  link?: string;
}

/** The fields routes match on, whatever the event is about. */
export interface MatchFields {
  type: EventType;
  clusterId: string;
  namespace: string;
  severity?: Severity;
  code?: string;
  source?: string;
}

export function matchFields(event: NotificationEvent): MatchFields {
  const { finding, proposal } = event;
  return {
    type: event.type,
    clusterId: event.clusterId,
    namespace: finding?.object.namespace ?? proposal?.target.namespace ?? '',
    severity: finding?.severity,
    code: finding?.code,
    source: finding ? finding.source : proposal ? 'assistant' : undefined,
  };
}
