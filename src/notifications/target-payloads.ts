import { refText } from '../cluster-state/finding';
import type { NotificationEvent } from './notification-event';

export const TARGET_TYPES = ['webhook', 'cloudevents', 'slack', 'alertmanager'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];
export type CloudEventsMode = 'structured' | 'binary';

/** One request to a target, before signing. */
export interface TargetRequest {
  headers: Record<string, string>;
  body: string;
}

/** Events in one request: Slack caps a message at 50 blocks, binary CloudEvents carry one. */
export function batchLimit(type: TargetType, mode: CloudEventsMode = 'structured'): number {
  if (type === 'slack') return 10;
  if (type === 'cloudevents' && mode === 'binary') return 1;
  return 100;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** The generic webhook: the events as they are in the outbox, newest last. */
export function webhookRequest(events: NotificationEvent[]): TargetRequest {
  return { headers: JSON_TYPE, body: JSON.stringify({ version: '1', events }) };
}

/** CloudEvents 1.0 attributes of an event: `id` is the idempotency key, as the spec intends. */
export function cloudEvent(event: NotificationEvent): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: event.id,
    source: `/cloudpilot/clusters/${event.clusterId}`,
    type: `io.cloudpilot.${event.type}`,
    subject: event.subject,
    time: event.time,
    datacontenttype: 'application/json',
    data: event,
  };
}

/**
 * CloudEvents over HTTP: structured mode puts the whole event in the body (a batch of several
 * as application/cloudevents-batch+json); binary mode puts the attributes in ce-* headers and
 * only the data in the body, one event per request.
 */
export function cloudEventsRequest(
  events: NotificationEvent[],
  mode: CloudEventsMode,
): TargetRequest {
  if (mode === 'structured')
    return events.length === 1
      ? {
          headers: { 'Content-Type': 'application/cloudevents+json' },
          body: JSON.stringify(cloudEvent(events[0])),
        }
      : {
          headers: { 'Content-Type': 'application/cloudevents-batch+json' },
          body: JSON.stringify(events.map(cloudEvent)),
        };
  const { data, datacontenttype, ...attributes } = cloudEvent(events[0]);
  const headers: Record<string, string> = { 'Content-Type': String(datacontenttype) };
  for (const [name, value] of Object.entries(attributes)) headers[`ce-${name}`] = String(value);
  return { headers, body: JSON.stringify(data) };
}

const TITLES: Record<NotificationEvent['type'], string> = {
  'finding.opened': 'New finding',
  'finding.severity_changed': 'Severity changed',
  'finding.resolved': 'Resolved',
  'forecast.crossing': 'Forecast crossing',
  'proposal.pending': 'Change waiting for approval',
  'finding.reminder': 'Still open',
};

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: text.slice(0, 2900) });

function evidenceText(event: NotificationEvent): string {
  const fields = Object.entries(event.finding?.evidence.fields ?? {}).slice(0, 4);
  return fields.map(([path, value]) => `\`${path}\`: ${JSON.stringify(value)}`).join('\n');
}

/** Slack blocks of one event: what, where, evidence, fix and a link, each readable on its own. */
function slackBlocks(event: NotificationEvent): unknown[] {
  const { finding, proposal } = event;
  const what = finding
    ? `*${TITLES[event.type]}: ${finding.code}* (${finding.severity})\n${finding.message}`
    : `*${TITLES[event.type]}*: ${proposal?.action} — ${proposal?.reason}`;
  const target = proposal?.target;
  const where = finding
    ? `${refText(finding.object)} in cluster ${event.clusterId}`
    : `${target?.kind} ${target?.namespace ?? ''}/${target?.name ?? ''} in cluster ${event.clusterId}`;
  const details = [`*Where*: ${where}`];
  const evidence = evidenceText(event);
  if (evidence) details.push(`*Evidence*:\n${evidence}`);
  if (finding?.suggestion) details.push(`*Fix*: ${finding.suggestion}`);
  if (event.link) details.push(`<${event.link}|Open in CloudPilot>`);
  return [
    { type: 'section', text: mrkdwn(what) },
    { type: 'section', text: mrkdwn(details.join('\n')) },
    { type: 'divider' },
  ];
}

/** A Slack incoming-webhook message; `text` is the notification's fallback line. */
export function slackRequest(events: NotificationEvent[]): TargetRequest {
  const first = events[0];
  const text =
    events.length === 1
      ? `${TITLES[first.type]}: ${first.finding?.code ?? first.proposal?.action} in cluster ${first.clusterId}`
      : `${events.length} CloudPilot notifications`;
  return {
    headers: JSON_TYPE,
    body: JSON.stringify({ text, blocks: events.flatMap(slackBlocks) }),
  };
}

/**
 * Alertmanager's POST /api/v2/alerts body: one alert per finding, its labels what Alertmanager
 * routes and groups on. A resolved finding ends its alert now; an open one has no end, so
 * Alertmanager keeps it firing for its resolve_timeout and the route's repeat interval re-posts
 * it before that. Events that are not about a finding (proposals) have no alert.
 */
export function alertmanagerRequest(events: NotificationEvent[]): TargetRequest {
  const alerts = events
    .filter((e) => e.finding)
    .map((e) => {
      const f = e.finding!;
      const labels: Record<string, string> = {
        alertname: f.code,
        severity: f.severity,
        cluster: f.clusterId,
        source: 'cloudpilot',
        cloudpilot_finding: f.id,
        [f.object.kind.toLowerCase()]: f.object.name,
      };
      if (f.object.namespace) labels.namespace = f.object.namespace;
      return {
        labels,
        annotations: { summary: f.message, description: f.suggestion },
        startsAt: f.firstSeen,
        ...(e.type === 'finding.resolved' ? { endsAt: e.time } : {}),
        ...(e.link ? { generatorURL: e.link } : {}),
      };
    });
  return { headers: JSON_TYPE, body: JSON.stringify(alerts) };
}
