import type { MessagePort } from 'node:worker_threads';
import { SnapshotMirror } from '../monitor/cluster-snapshot';
import { ClusterDiagnostics, FindingChange } from './cluster-diagnostics';
import type { EvaluatedFinding } from '../cluster-state/finding';
import type { FromWorker, ToWorker } from './worker-protocol';

/** Finding changes per message back to the process. */
const CHANGES_PER_MESSAGE = 50;

interface Served {
  mirror: SnapshotMirror;
  engine: ClusterDiagnostics;
  external: EvaluatedFinding[];
  changes: FindingChange[];
}

type Post = (message: FromWorker) => void;

/**
 * Posts to the port at least a millisecond apart: the process handles every message that has
 * arrived in one go, so parts posted back to back would be deserialized as one block.
 */
function pacedPost(port: MessagePort): Post {
  const outbox: FromWorker[] = [];
  let pacing = false;
  const pace = (): void => {
    const next = outbox.shift();
    if (!next) return void (pacing = false);
    port.postMessage(next);
    setTimeout(pace, 1);
  };
  return (message) => {
    outbox.push(message);
    if (pacing) return;
    pacing = true;
    pace();
  };
}

/**
 * An evaluation's finding changes back to the process. A first evaluation opens ~1,000 findings
 * (~1 MB, 3–9 ms to deserialize in one piece): in parts of ~50 KB, each deserialized in well under
 * a millisecond; the last part goes with the `evaluated` message.
 */
function postEvaluation(
  post: Post,
  clusterId: string,
  changes: FindingChange[],
  engine: ClusterDiagnostics,
): void {
  let from = 0;
  for (; changes.length - from > CHANGES_PER_MESSAGE; from += CHANGES_PER_MESSAGE)
    post({ type: 'changes', clusterId, changes: changes.slice(from, from + CHANGES_PER_MESSAGE) });
  post({
    type: 'evaluated',
    clusterId,
    changes: changes.slice(from),
    evaluatedAt: engine.evaluatedAt,
    evaluationMs: engine.evaluationMs,
    lastRun: engine.lastRun,
  });
}

/** A cluster's mirror and engine, its changes collected until each evaluation posts them. */
function open(post: Post, message: Extract<ToWorker, { type: 'open' }>): Served {
  const { clusterId, debounceMs, resyncMs, switches } = message;
  const mirror = new SnapshotMirror(clusterId);
  const entry: Served = { mirror, external: [], changes: [], engine: undefined! };
  entry.engine = new ClusterDiagnostics(mirror, {
    debounceMs,
    resyncMs,
    switches,
    external: () => entry.external,
    onEvaluated: (engine) => {
      const changes = entry.changes;
      entry.changes = [];
      postEvaluation(post, clusterId, changes, engine);
    },
  });
  entry.engine.onChange((change) => entry.changes.push(change));
  return entry;
}

/**
 * The diagnostics side of the port: one mirror and one engine per cluster. Evaluations, their
 * allocations and their GC pauses happen in this isolate, never on the event loop that answers
 * requests; only each evaluation's finding changes go back.
 */
export function serveDiagnostics(port: MessagePort): void {
  const served = new Map<string, Served>();
  const post = pacedPost(port);
  port.on('message', (message: ToWorker) => {
    const entry = served.get(message.clusterId);
    switch (message.type) {
      case 'open':
        entry?.engine.stop();
        served.set(message.clusterId, open(post, message));
        return;
      case 'batch':
        entry?.mirror.apply(message.batch);
        return;
      case 'start':
        entry?.engine.start();
        return;
      case 'external':
        if (entry) entry.external = message.findings;
        return;
      case 'evaluate': {
        const answer = (): void =>
          post({ type: 'answered', clusterId: message.clusterId, seq: message.seq });
        if (!entry) return answer();
        void entry.engine.evaluateInSlices().then(answer, answer);
        return;
      }
      case 'close':
        entry?.engine.stop();
        served.delete(message.clusterId);
        return;
    }
  });
}
