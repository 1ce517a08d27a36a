import type { NotificationEvent } from './notification-event';
import { signBody, SIGNATURE_HEADER } from './signature';
import {
  alertmanagerRequest,
  CloudEventsMode,
  cloudEventsRequest,
  slackRequest,
  TargetType,
  webhookRequest,
} from './target-payloads';
import type { TargetSecret } from './route-cipher';

export interface PreparedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The request one batch of events makes to one target: the payload of its type, the URL it goes
 * to (Alertmanager's alerts API under the configured base URL), and, when the route has a
 * secret, the signature over timestamp and body. The idempotency key of a single event also
 * travels as a header, for receivers that deduplicate before parsing.
 */
export function prepareRequest(
  type: TargetType,
  mode: CloudEventsMode,
  target: TargetSecret,
  events: NotificationEvent[],
  now: number,
): PreparedRequest {
  const payload =
    type === 'webhook'
      ? webhookRequest(events)
      : type === 'cloudevents'
        ? cloudEventsRequest(events, mode)
        : type === 'slack'
          ? slackRequest(events)
          : alertmanagerRequest(events);
  const headers: Record<string, string> = { 'User-Agent': 'CloudPilot', ...payload.headers };
  if (events.length === 1) headers['Idempotency-Key'] = events[0].id;
  if (target.secret) headers[SIGNATURE_HEADER] = signBody(target.secret, payload.body, now);
  const url =
    type === 'alertmanager' ? `${target.url.replace(/\/+$/, '')}/api/v2/alerts` : target.url;
  return { url, headers, body: payload.body };
}
