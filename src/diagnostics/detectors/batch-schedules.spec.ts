import { slimCronJob, slimJob } from '../../cluster-state/records/batch';
import { ago, inputOf, NOW } from '../testing/diagnostics-builders';
import { parseCron, previousFire } from './cron-schedule';
import { cronJobSchedules } from './cronjob-schedule.detector';
import { jobs } from './jobs.detector';

const at = (iso: string) => Date.parse(iso);
const fire = (schedule: string, iso: string) => {
  const s = parseCron(schedule);
  const t = s && previousFire(s, at(iso));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('cron schedules', () => {
  it('finds the latest firing at or before a time: steps, ranges, lists, names and macros', () => {
    expect(fire('*/15 * * * *', '2026-06-01T12:07:30Z')).toBe('2026-06-01T12:00:00.000Z');
    expect(fire('30 9-17 * * mon-fri', '2026-06-06T12:00:00Z')).toBe('2026-06-05T17:30:00.000Z');
    expect(fire('0 0 1,15 * *', '2026-06-10T00:00:00Z')).toBe('2026-06-01T00:00:00.000Z');
    expect(fire('@hourly', '2026-06-01T12:59:59Z')).toBe('2026-06-01T12:00:00.000Z');
    expect(fire('0 0 1 1 *', '2026-06-01T12:00:00Z')).toBe('2026-01-01T00:00:00.000Z');
    expect(fire('0 0 29 feb *', '2026-06-01T12:00:00Z')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('treats day-of-month and day-of-week as either-or when both are restricted, as the controller does', () => {
    // 2026-06-01 is a Monday: the 13th or any Friday.
    expect(fire('0 0 13 * 5', '2026-06-08T00:00:00Z')).toBe('2026-06-05T00:00:00.000Z');
    expect(fire('0 0 * * 7', '2026-06-01T12:00:00Z')).toBe('2026-05-31T00:00:00.000Z');
  });

  it('refuses what is not the standard syntax', () => {
    for (const bad of [
      '@every 1h',
      '* * * *',
      '61 * * * *',
      'CRON_TZ=UTC 0 * * * *',
      '*/0 * * * *',
    ])
      expect([bad, parseCron(bad)]).toEqual([bad, undefined]);
  });
});

const cron = (
  name: string,
  spec: Record<string, any>,
  status: Record<string, any> = {},
  created = ago(7200),
) =>
  slimCronJob({ metadata: { name, namespace: 'ops', creationTimestamp: created }, spec, status });
const labels = (found: { code: string; object: { name: string } }[]) =>
  found.map((f) => `${f.code} ${f.object.name}`).sort();

describe('CronJob schedules kept or not', () => {
  it('reports a CronJob never run though due, one that missed its last run, and a deadline under 10 s', () => {
    const found = cronJobSchedules(
      inputOf({
        cronjobs: [
          cron('never', { schedule: '*/5 * * * *' }),
          cron('missed', { schedule: '0 * * * *' }, { lastScheduleTime: ago(2 * 3600 + 60) }),
          cron('short', { schedule: '0 0 1 1 *', startingDeadlineSeconds: 5 }),
        ],
      }),
    );
    expect(labels(found)).toEqual([
      'CRONJOB_MISSED_SCHEDULES missed',
      'CRONJOB_NEVER_RAN never',
      'CRONJOB_STARTING_DEADLINE_TOO_SHORT short',
    ]);
    expect(found.find((f) => f.code === 'CRONJOB_NEVER_RAN')?.fields.dueAt).toBe(
      new Date(NOW - 300_000).toISOString(),
    );
  });

  it('stays silent on look-alikes: first run still ahead, run on time, within the grace, suspended, Forbid while active, a named zone, a 10 s deadline', () => {
    const found = cronJobSchedules(
      inputOf({
        cronjobs: [
          cron('yearly-new', { schedule: '0 0 1 1 *' }),
          cron('on-time', { schedule: '0 * * * *' }, { lastScheduleTime: ago(0) }),
          cron('within-grace', { schedule: '* * * * *' }, { lastScheduleTime: ago(60) }, ago(600)),
          cron('suspended', { schedule: '* * * * *', suspend: true }),
          cron(
            'busy',
            { schedule: '* * * * *', concurrencyPolicy: 'Forbid' },
            { active: [{ name: 'busy-1' }], lastScheduleTime: ago(3600) },
          ),
          cron('zoned', { schedule: '* * * * *', timeZone: 'Europe/Paris' }),
          cron('ten', { schedule: '0 0 1 1 *', startingDeadlineSeconds: 10 }),
        ],
      }),
    );
    expect(labels(found)).toEqual([]);
  });
});

describe('Jobs: deadline and suspension', () => {
  const job = (
    name: string,
    spec: Record<string, any>,
    status: Record<string, any> = {},
    labels?: Record<string, string>,
  ) =>
    slimJob({
      metadata: { name, namespace: 'ops', creationTimestamp: ago(60), labels },
      spec,
      status,
    });

  it('names a Job stopped at its activeDeadlineSeconds and a suspended Job', () => {
    const found = jobs(
      inputOf({
        jobs: [
          job(
            'slow',
            { activeDeadlineSeconds: 60 },
            {
              failed: 1,
              conditions: [
                {
                  type: 'Failed',
                  status: 'True',
                  reason: 'DeadlineExceeded',
                  message: 'Job was active longer than specified deadline',
                },
              ],
            },
          ),
          job('held', { suspend: true }),
        ],
        cronjobs: [],
      }),
    );
    expect(labels(found)).toEqual(['JOB_DEADLINE_EXCEEDED slow', 'JOB_SUSPENDED held']);
  });

  it('a Job Kueue holds suspended in its queue, and a completed suspended Job, are not reported', () => {
    const found = jobs(
      inputOf({
        jobs: [
          job('queued', { suspend: true }, {}, { 'kueue.x-k8s.io/queue-name': 'team-a' }),
          job('done', { suspend: true }, { conditions: [{ type: 'Complete', status: 'True' }] }),
        ],
        cronjobs: [],
      }),
    );
    expect(found).toEqual([]);
  });
});
