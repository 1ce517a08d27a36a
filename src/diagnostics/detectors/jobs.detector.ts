import type { JobRecord } from '../../cluster-state/records/batch';
import { RawFinding } from '../../cluster-state/finding';
import { DetectorInput } from './detector';

const batch = (kind: string, namespace: string, name: string) => ({
  group: 'batch',
  kind,
  namespace,
  name,
});

/** The most recent Job of each CronJob, by creation time. */
function latestJobs(jobs: JobRecord[]): Map<string, JobRecord> {
  const latest = new Map<string, JobRecord>();
  for (const job of jobs) {
    if (job.owner?.kind !== 'CronJob') continue;
    const key = `${job.namespace}/${job.owner.name}`;
    const seen = latest.get(key);
    if (!seen || seen.created < job.created) latest.set(key, job);
  }
  return latest;
}

/** A Job that gave up: past its activeDeadlineSeconds (DeadlineExceeded) or its retries. */
function jobFailed(job: JobRecord): RawFinding {
  const deadline = job.failure?.reason === 'DeadlineExceeded';
  return {
    code: deadline ? 'JOB_DEADLINE_EXCEEDED' : 'JOB_FAILED',
    severity: 'warning',
    object: batch('Job', job.namespace, job.name),
    message: deadline
      ? `The Job ran past its activeDeadlineSeconds and was stopped: ${job.failure?.message}`
      : `The Job failed (${job.failure?.reason}): ${job.failure?.message}`,
    fields: {
      'status.conditions[type=Failed].reason': job.failure?.reason,
      'status.failed': job.failed,
      'status.succeeded': job.succeeded,
    },
    suggestion: deadline
      ? 'Find what made it slow (its pods\u2019 logs, Pending time, throttling) or give it a longer spec.activeDeadlineSeconds, then recreate the Job.'
      : 'Read the logs of its failed pods (kubectl logs job/<name>), fix the cause, then delete and recreate the Job.',
  };
}

/** A suspended Job nobody queued: it starts no pod until someone resumes it. */
function jobSuspended(job: JobRecord): RawFinding {
  return {
    code: 'JOB_SUSPENDED',
    severity: 'info',
    object: batch('Job', job.namespace, job.name),
    message: `The Job is suspended: it starts no pod until resumed (${job.active} active, ${job.succeeded} succeeded).`,
    fields: { 'spec.suspend': true, 'status.active': job.active },
    suggestion:
      'Resume it when it should run (kubectl patch job <name> -p \'{"spec":{"suspend":false}}\'), or delete it if it is no longer wanted.',
  };
}

/**
 * Jobs that gave up (Failed=True: BackoffLimitExceeded, DeadlineExceeded). A CronJob's Jobs are
 * reported through the CronJob, and only when its latest run failed: a later success clears it.
 * A suspended CronJob is reported (info) only when its last run failed, since that failure will
 * not be retried. A suspended Job is reported (info) unless a queueing controller (Kueue, by its
 * queue-name label) holds it: then suspension is how it waits its turn.
 */
export function jobs(input: DetectorInput): RawFinding[] {
  const findings: RawFinding[] = [];
  const all = input.list('jobs');
  for (const job of all) {
    if (job.owner?.kind === 'CronJob') continue;
    if (job.failure) findings.push(jobFailed(job));
    else if (job.suspended && !job.queue && !job.complete) findings.push(jobSuspended(job));
  }
  const latest = latestJobs(all);
  for (const cron of input.list('cronjobs')) {
    const last = latest.get(`${cron.namespace}/${cron.name}`);
    if (!last?.failure) continue;
    const fields = {
      'spec.suspend': cron.suspend,
      'status.lastScheduleTime': cron.lastScheduleTime,
      'status.lastSuccessfulTime': cron.lastSuccessfulTime,
      lastJob: last.name,
      'lastJob.status.conditions[type=Failed].reason': last.failure.reason,
    };
    findings.push({
      code: cron.suspend ? 'CRONJOB_SUSPENDED_AFTER_FAILURE' : 'CRONJOB_FAILING',
      severity: cron.suspend ? 'info' : 'warning',
      object: batch('CronJob', cron.namespace, cron.name),
      message: cron.suspend
        ? `The CronJob is suspended and its last run (${last.name}) failed: ${last.failure.reason}.`
        : `The latest run ${last.name} failed (${last.failure.reason}): ${last.failure.message}`,
      fields,
      suggestion: cron.suspend
        ? 'Fix the cause of the last failure before resuming it (kubectl patch cronjob <name> -p \'{"spec":{"suspend":false}}\').'
        : `Read the logs of Job ${last.name}\u2019s pods and fix the cause; the next scheduled run shows whether it holds.`,
    });
  }
  return findings;
}
