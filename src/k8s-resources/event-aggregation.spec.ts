import { aggregateEvents, K8sEvent, parseSince } from './event-aggregation';

const event = (name: string, over: Partial<K8sEvent> = {}): K8sEvent => ({
  metadata: { name, namespace: 'shop' },
  involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop' },
  type: 'Warning',
  reason: 'BackOff',
  message: 'Back-off restarting failed container',
  count: 1,
  firstTimestamp: '2026-11-25T10:00:00Z',
  lastTimestamp: '2026-11-25T10:00:00Z',
  ...over,
});

describe('aggregateEvents', () => {
  it('folds repeats of the same object, reason and message, summing counts and widening the window', () => {
    const rows = aggregateEvents([
      event('a', { count: 3, lastTimestamp: '2026-11-25T10:05:00Z' }),
      event('b', { count: 2, firstTimestamp: '2026-11-25T09:00:00Z' }),
    ]);
    expect(rows).toEqual([
      expect.objectContaining({
        count: 5,
        firstSeen: '2026-11-25T09:00:00Z',
        lastSeen: '2026-11-25T10:05:00Z',
        object: { kind: 'Pod', name: 'web-1', namespace: 'shop' },
      }),
    ]);
  });

  it('keeps different messages or objects apart and sorts newest first', () => {
    const rows = aggregateEvents([
      event('a', { lastTimestamp: '2026-11-25T10:00:00Z' }),
      event('b', { message: 'other', lastTimestamp: '2026-11-25T11:00:00Z' }),
      event('c', {
        involvedObject: { kind: 'Pod', name: 'web-2' },
        lastTimestamp: '2026-11-25T09:00:00Z',
      }),
    ]);
    expect(rows.map((r) => [r.object.name, r.message])).toEqual([
      ['web-1', 'other'],
      ['web-1', 'Back-off restarting failed container'],
      ['web-2', 'Back-off restarting failed container'],
    ]);
  });

  it('reads events.k8s.io-style series and eventTime', () => {
    const [row] = aggregateEvents([
      event('a', {
        count: undefined,
        firstTimestamp: null,
        lastTimestamp: null,
        eventTime: '2026-11-25T08:00:00Z',
        series: { count: 7, lastObservedTime: '2026-11-25T08:30:00Z' },
      }),
    ]);
    expect(row).toMatchObject({
      count: 7,
      firstSeen: '2026-11-25T08:00:00Z',
      lastSeen: '2026-11-25T08:30:00Z',
    });
  });

  it('drops events last seen before `since`', () => {
    expect(aggregateEvents([event('a')], new Date('2026-11-25T10:00:01Z'))).toEqual([]);
  });
});

describe('parseSince', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  it.each([
    ['15m', '2026-11-25T11:45:00.000Z'],
    ['2h', '2026-11-25T10:00:00.000Z'],
    ['1d', '2026-11-24T12:00:00.000Z'],
    ['2026-11-25T08:00:00Z', '2026-11-25T08:00:00.000Z'],
  ])('reads %s', (value, expected) => expect(parseSince(value, now)?.toISOString()).toBe(expected));

  it.each(['yesterday', '15', '2026-11-25', '5w'])('refuses %s', (value) =>
    expect(parseSince(value, now)).toBeUndefined(),
  );
});
