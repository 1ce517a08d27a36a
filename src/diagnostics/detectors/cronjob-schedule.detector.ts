import type { CronJobRecord } from '../../cluster-state/records/batch';
import { RawFinding } from '../../cluster-state/finding';
import { CronSchedule, parseCron, previousFire } from './cron-schedule';
import { DetectorInput } from './detector';

/**
 * How late a run may start before it counts as missed: the controller starts runs within seconds
 * of their time, a controller-manager failover takes tens of seconds.
 */
export const MISSED_GRACE_SECONDS = 60;
/** The CronJob controller may check less often than this: a shorter deadline can skip every run. */
export const MIN_STARTING_DEADLINE_SECONDS = 10;

/** Zones the schedule can be read in without a time-zone database. */
const UTC = /^(Etc\/)?(UTC|GMT)$/;

const parsed = new Map<string, CronSchedule | undefined>();

function scheduleOf(text: string): CronSchedule | undefined {
  if (!parsed.has(text)) {
    if (parsed.size > 1000) parsed.clear();
    parsed.set(text, parseCron(text));
  }
  return parsed.get(text);
}

const ref = (c: CronJobRecord) => ({
  group: 'batch',
  kind: 'CronJob',
  namespace: c.namespace,
  name: c.name,
});

const iso = (ms: number) => new Date(ms).toISOString();

function deadlineFinding(c: CronJobRecord, deadline: number): RawFinding {
  return {
    code: 'CRONJOB_STARTING_DEADLINE_TOO_SHORT',
    severity: 'warning',
    object: ref(c),
    message: `startingDeadlineSeconds is ${deadline}: a run not started within ${deadline} s of its time is skipped, and the controller may not look that often, so runs can be missed.`,
    fields: { 'spec.startingDeadlineSeconds': deadline },
    suggestion: `Set spec.startingDeadlineSeconds to ${MIN_STARTING_DEADLINE_SECONDS} or more (or remove it): it only bounds how late a run may start.`,
  };
}

/** The run due last (a grace ago) did not start: never ran, or missed since its last run. */
function missedFinding(c: CronJobRecord, now: number): RawFinding | undefined {
  if (c.suspend || c.skipsWhileActive || (c.timeZone && !UTC.test(c.timeZone))) return undefined;
  const schedule = scheduleOf(c.schedule);
  const due = schedule && previousFire(schedule, now - MISSED_GRACE_SECONDS * 1000);
  const created = c.created ? Date.parse(c.created) : NaN;
  if (due === undefined || !Number.isFinite(created) || due < created) return undefined;
  const last = c.lastScheduleTime ? Date.parse(c.lastScheduleTime) : undefined;
  if (last !== undefined && last >= due) return undefined;
  const never = last === undefined;
  return {
    code: never ? 'CRONJOB_NEVER_RAN' : 'CRONJOB_MISSED_SCHEDULES',
    severity: 'warning',
    object: ref(c),
    message: never
      ? `The CronJob has never started a run: its schedule (${c.schedule}) was due at ${iso(due)}.`
      : `The run due at ${iso(due)} (${c.schedule}) did not start; the last one started at ${c.lastScheduleTime}.`,
    fields: {
      'spec.schedule': c.schedule,
      'metadata.creationTimestamp': c.created,
      'status.lastScheduleTime': c.lastScheduleTime,
      dueAt: iso(due),
    },
    suggestion:
      'Read the CronJob\u2019s Warning events (FailedCreate: a ResourceQuota, an admission webhook or a missing ServiceAccount refusing its Job) and the kube-controller-manager log; kubectl create job --from=cronjob/<name> tries one run by hand.',
  };
}

/**
 * CronJobs whose schedule is not being kept: never run though due, runs missed since the last one
 * (a grace of a minute), or a startingDeadlineSeconds too short to be kept. Suspended CronJobs and
 * those skipping on purpose (concurrencyPolicy Forbid while a run is active) are not judged, nor
 * schedules in a named time zone (spec.timeZone) or outside the standard syntax.
 */
export function cronJobSchedules(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const c of input.list('cronjobs')) {
    const deadline = c.startingDeadlineSeconds;
    if (deadline !== undefined && deadline < MIN_STARTING_DEADLINE_SECONDS)
      findings.push(deadlineFinding(c, deadline));
    const missed = missedFinding(c, input.now);
    if (missed) findings.push(missed);
  }
  return findings;
}
