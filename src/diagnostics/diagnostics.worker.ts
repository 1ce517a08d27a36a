import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { serveDiagnostics } from './diagnostics-worker';

/**
 * Evaluations are background work: on Linux this thread runs at a lower priority (nice 10) than
 * the threads answering requests, so on a busy node a request gets the CPU first. A thread's id
 * is the last part of /proc/thread-self; setPriority applies to that one thread. Elsewhere, or
 * without /proc, the thread keeps the process's priority.
 */
function lowerThisThreadsPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // Not Linux, or no /proc: same priority as the process.
  }
}

// Entry of the diagnostics worker thread (see diagnostics-isolate.ts).
if (parentPort) {
  lowerThisThreadsPriority();
  serveDiagnostics(parentPort);
}
