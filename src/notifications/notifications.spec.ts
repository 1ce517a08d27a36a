import type { Finding } from '../cluster-state/finding';
import { diffFindings, NotifiedState } from './finding-diff';
import { matchFields, NotificationEvent } from './notification-event';
import { RateLimiter } from './rate-limiter';
import { retryDelayMs } from './retry-delay';
import { routeMatches } from './route-match';
import { signBody, verifySignature } from './signature';
import { alertmanagerRequest, cloudEventsRequest, slackRequest } from './target-payloads';

const NOW = '2026-12-07T08:00:00.000Z';

function finding(over: Partial<Finding> = {}): Finding {
  return {
    id: 'aaaaaaaaaaaaaaaa',
    clusterId: 'c1',
    code: 'POD_CRASH_LOOP',
    severity: 'warning',
    source: 'kubernetes',
    object: { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'cart' },
    message: '2 pods of Deployment shop/cart: crash looping',
    evidence: { fields: { restartCount: 7 }, objects: ['cart-5d-x1', 'cart-5d-x2'], events: [] },
    suggestion: 'Read the previous log',
    count: 2,
    firstSeen: '2026-12-07T07:00:00.000Z',
    lastSeen: NOW,
    ...over,
  };
}

const state = (f: Finding, over: Partial<NotifiedState> = {}): NotifiedState => ({
  findingId: f.id,
  clusterId: f.clusterId,
  severity: f.severity,
  seq: 1,
  open: true,
  finding: f,
  ...over,
});

describe('diffFindings', () => {
  it('opens, changes severity and resolves, numbering each finding’s events in order', () => {
    const kept = finding({ id: 'b'.repeat(16), severity: 'critical' });
    const gone = finding({ id: 'c'.repeat(16) });
    const fresh = finding();
    const before = new Map([
      [kept.id, state(kept, { severity: 'warning', seq: 1 })],
      [gone.id, state(gone, { seq: 4 })],
    ]);
    const diff = diffFindings('c1', before, [kept, fresh], NOW);
    expect(diff.events.map((e) => [e.type, e.id])).toEqual([
      ['finding.severity_changed', `${kept.id}#1`],
      ['finding.opened', `${fresh.id}#0`],
      ['finding.resolved', `${gone.id}#4`],
    ]);
    expect(diff.events[0].previousSeverity).toBe('warning');
    expect(diff.states.map((s) => [s.findingId, s.seq, s.open])).toEqual([
      [kept.id, 2, true],
      [fresh.id, 1, true],
      [gone.id, 5, false],
    ]);
  });

  it('tells nothing twice: the states it returns give no event on the same findings', () => {
    const f = finding();
    const first = diffFindings('c1', new Map(), [f], NOW);
    const after = new Map(first.states.map((s) => [s.findingId, s]));
    expect(diffFindings('c1', after, [f], NOW).events).toEqual([]);
    // A reopened finding continues its numbering: its key never repeats an earlier event's.
    const resolved = diffFindings('c1', after, [], NOW);
    const closed = new Map(resolved.states.map((s) => [s.findingId, s]));
    expect(diffFindings('c1', closed, [f], NOW).events[0].id).toBe(`${f.id}#2`);
  });

  it('calls a forecast finding that opens a crossing', () => {
    const diff = diffFindings('c1', new Map(), [finding({ source: 'forecast' })], NOW);
    expect(diff.events[0].type).toBe('forecast.crossing');
  });
});

describe('routeMatches', () => {
  const fields = matchFields({
    id: 'k',
    type: 'finding.opened',
    time: NOW,
    clusterId: 'c1',
    subject: 's',
    finding: finding(),
  });

  it('takes everything with an empty match, and each list as "any of"', () => {
    expect(routeMatches({}, fields)).toBe(true);
    expect(
      routeMatches({ severities: ['critical', 'warning'], namespaces: ['shop'] }, fields),
    ).toBe(true);
    expect(routeMatches({ codes: ['NODE_NOT_READY'] }, fields)).toBe(false);
    expect(routeMatches({ events: ['finding.resolved'] }, fields)).toBe(false);
  });

  it('names clusters by id or name, and a list on a field the event lacks refuses it', () => {
    expect(routeMatches({ clusters: ['prod'] }, fields, 'prod')).toBe(true);
    expect(routeMatches({ clusters: ['prod'] }, fields, 'dev')).toBe(false);
    const proposal = { ...fields, severity: undefined, code: undefined, source: 'assistant' };
    expect(routeMatches({ severities: ['critical'] }, proposal)).toBe(false);
    expect(routeMatches({ sources: ['assistant'] }, proposal)).toBe(true);
  });
});

describe('signatures', () => {
  const secret = 'a-secret-of-enough-length';
  const body = '{"events":[]}';
  const at = Date.parse(NOW);

  it('verifies its own signature, and refuses an altered body, another key or an old timestamp', () => {
    const header = signBody(secret, body, at);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, header, body, at + 1000)).toBe('valid');
    expect(verifySignature(secret, header, body.replace('[]', '[1]'), at)).toBe('mismatch');
    expect(verifySignature('another-secret-entirely', header, body, at)).toBe('mismatch');
    expect(verifySignature(secret, header, body, at + 301_000)).toBe('expired');
    expect(verifySignature(secret, undefined, body, at)).toBe('malformed');
  });

  it('binds the timestamp: a header moved to a fresh timestamp no longer matches', () => {
    const header = signBody(secret, body, at);
    const moved = header.replace(/^t=\d+/, `t=${Math.floor(at / 1000) + 600}`);
    expect(verifySignature(secret, moved, body, at + 600_000)).toBe('mismatch');
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap, with half of each delay random', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, 1000, 5000, () => 1))).toEqual([
      1000, 2000, 4000, 5000,
    ]);
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, 1000, 5000, () => 0))).toEqual([
      500, 1000, 2000, 2500,
    ]);
  });
});

describe('RateLimiter', () => {
  it('allows a minute’s requests at once, then one per 60/rate seconds', () => {
    const limiter = new RateLimiter();
    const t = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('r', 2, t))).toEqual([true, true, false]);
    expect(limiter.take('r', 2, t + 29_000)).toBe(false);
    expect(limiter.take('r', 2, t + 30_000)).toBe(true);
    expect(limiter.take('other', 0, t)).toBe(true);
  });
});

describe('target payloads', () => {
  const event: NotificationEvent = {
    id: 'aaaaaaaaaaaaaaaa#0',
    type: 'finding.opened',
    time: NOW,
    clusterId: 'c1',
    subject: 'aaaaaaaaaaaaaaaa',
    finding: finding(),
    link: 'https://cloudpilot.example/api/v1/clusters/c1/diagnostics/aaaaaaaaaaaaaaaa',
  };

  it('puts CloudEvents attributes in ce-* headers in binary mode and in the body in structured mode', () => {
    const binary = cloudEventsRequest([event], 'binary');
    expect(binary.headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-id': event.id,
      'ce-type': 'io.cloudpilot.finding.opened',
      'ce-source': '/cloudpilot/clusters/c1',
      'Content-Type': 'application/json',
    });
    expect(JSON.parse(binary.body)).toEqual(event);
    const structured = cloudEventsRequest([event], 'structured');
    expect(structured.headers['Content-Type']).toBe('application/cloudevents+json');
    expect(JSON.parse(structured.body)).toMatchObject({
      specversion: '1.0',
      id: event.id,
      data: event,
    });
    const batch = cloudEventsRequest([event, { ...event, id: 'x#1' }], 'structured');
    expect(batch.headers['Content-Type']).toBe('application/cloudevents-batch+json');
    expect(JSON.parse(batch.body)).toHaveLength(2);
  });

  it('labels an Alertmanager alert by code, severity and object, and ends it when resolved', () => {
    const [firing, resolved] = JSON.parse(
      alertmanagerRequest([event, { ...event, type: 'finding.resolved', time: NOW }]).body,
    );
    expect(firing).toEqual({
      labels: {
        alertname: 'POD_CRASH_LOOP',
        severity: 'warning',
        cluster: 'c1',
        source: 'cloudpilot',
        cloudpilot_finding: 'aaaaaaaaaaaaaaaa',
        deployment: 'cart',
        namespace: 'shop',
      },
      annotations: { summary: event.finding!.message, description: 'Read the previous log' },
      startsAt: event.finding!.firstSeen,
      generatorURL: event.link,
    });
    expect(resolved.endsAt).toBe(NOW);
  });

  it('writes a Slack message with what, where, evidence, fix and a link', () => {
    const text = JSON.stringify(JSON.parse(slackRequest([event]).body).blocks);
    for (const part of [
      'POD_CRASH_LOOP',
      'Deployment shop/cart',
      'restartCount',
      'Read the previous log',
      event.link!,
    ])
      expect(text).toContain(part);
  });
});
