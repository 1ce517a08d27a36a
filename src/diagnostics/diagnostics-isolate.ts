import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, MessagePort, Worker } from 'node:worker_threads';
import { serveDiagnostics } from './diagnostics-worker';
import type { FromWorker, ToWorker } from './worker-protocol';

/** worker: a worker thread (the default when built); inline: this thread, over a message channel. */
export type DiagnosticsIsolation = 'worker' | 'inline';

/** The compiled worker entry, next to this file in dist/ (absent when running from TypeScript). */
const WORKER_ENTRY = join(__dirname, 'diagnostics.worker.js');

/** `auto` picks the worker when its compiled entry exists (dist), inline otherwise (ts-jest, swc). */
export function resolveIsolation(setting: DiagnosticsIsolation | 'auto'): DiagnosticsIsolation {
  if (setting !== 'auto') return setting;
  return existsSync(WORKER_ENTRY) ? 'worker' : 'inline';
}

type Handler = (message: FromWorker) => void;

const MAX_REPLACEMENTS_PER_MINUTE = 5;

/**
 * The one port to the diagnostics evaluations of every cluster. In a worker thread, evaluations
 * (their CPU, allocations and GC pauses) never hold the event loop that answers requests. Inline,
 * the same messages cross a MessageChannel in this thread: what the tests run. A worker that
 * dies is replaced, and every attached cluster is sent again from its snapshot.
 */
export class DiagnosticsIsolate {
  readonly isolation: DiagnosticsIsolation;
  private port: MessagePort | Worker;
  private inline: MessagePort | undefined;
  /** Per attached cluster: where its messages go, and how to send it again to a new worker. */
  private readonly attached = new Map<string, { receive: Handler; resend: () => void }>();
  private closed = false;
  /** When the worker was last replaced: one that keeps dying is not replaced forever. */
  private readonly replacedAt: number[] = [];

  constructor(
    setting: DiagnosticsIsolation | 'auto',
    private readonly onFailure: (error: Error) => void = () => undefined,
  ) {
    this.isolation = resolveIsolation(setting);
    this.port = this.connect();
  }

  /** False once a worker kept dying (or after close): nothing is evaluated any more. */
  get available(): boolean {
    return !this.closed;
  }

  post(message: ToWorker): void {
    if (!this.closed) this.port.postMessage(message);
  }

  /** Routes a cluster's messages to `receive`; `resend` sends the cluster again to a new worker. */
  attach(clusterId: string, receive: Handler, resend: () => void): void {
    this.attached.set(clusterId, { receive, resend });
  }

  detach(clusterId: string): void {
    this.attached.delete(clusterId);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.attached.clear();
    if (this.port instanceof Worker) await this.port.terminate();
    else {
      this.port.close();
      this.inline?.close();
    }
  }

  private connect(): MessagePort | Worker {
    const receive = (message: FromWorker): void =>
      this.attached.get(message.clusterId)?.receive(message);
    if (this.isolation === 'inline') {
      const { port1, port2 } = new MessageChannel();
      serveDiagnostics(port2);
      this.inline = port2;
      port1.on('message', receive);
      port1.unref();
      port2.unref();
      return port1;
    }
    const worker = new Worker(WORKER_ENTRY);
    worker.on('message', receive);
    worker.on('error', (error) => this.onFailure(error));
    worker.on('exit', (code) => {
      if (this.closed) return;
      const now = Date.now();
      while (this.replacedAt.length && now - this.replacedAt[0] > 60_000) this.replacedAt.shift();
      if (this.replacedAt.push(now) > MAX_REPLACEMENTS_PER_MINUTE) {
        this.closed = true;
        this.onFailure(
          new Error(`The diagnostics worker keeps exiting (code ${code}); not replaced`),
        );
        return;
      }
      this.port = this.connect();
      for (const { resend } of this.attached.values()) resend();
    });
    worker.unref();
    return worker;
  }
}
