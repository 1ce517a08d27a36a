import { AppError } from '../common/app-error';
import { K8sStream } from './kube-client';

/** One line of a watch stream. https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, any>;
}

/** Thrown when a stream stays silent longer than the idle timeout (a half-open connection). */
export class WatchIdleError extends AppError {
  constructor(cluster: string, idleMs: number) {
    super(
      'CLUSTER_TIMEOUT',
      `Watch on cluster ${cluster} was silent for ${Math.round(idleMs / 1000)} s`,
      { cluster },
    );
  }
}

function parseLine(cluster: string, line: string): WatchEvent {
  try {
    const event = JSON.parse(line) as WatchEvent;
    if (event && typeof event.type === 'string' && event.object && typeof event.object === 'object')
      return event;
  } catch {
    // fall through: the text of a broken line is not worth relaying
  }
  throw new AppError('CLUSTER_ERROR', `Cluster ${cluster} sent a malformed watch event`, {
    cluster,
  });
}

/**
 * Reads newline-delimited watch events until the server ends the stream, calling `onEvent` for
 * each in order. The stream is closed (its socket released) when it has been silent for
 * `idleTimeoutMs`, which then throws WatchIdleError; any read failure is rethrown as is.
 */
export async function readWatchEvents(
  cluster: string,
  stream: K8sStream,
  idleTimeoutMs: number,
  onEvent: (event: WatchEvent) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      stream.close();
    }, idleTimeoutMs);
  };
  let buffered = '';
  try {
    arm();
    for await (const chunk of stream.chunks) {
      arm();
      buffered += decoder.decode(chunk, { stream: true });
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onEvent(parseLine(cluster, line));
    }
    if (buffered.trim()) onEvent(parseLine(cluster, buffered));
  } catch (error) {
    throw idle ? new WatchIdleError(cluster, idleTimeoutMs) : error;
  } finally {
    clearTimeout(timer);
    stream.close();
  }
}
