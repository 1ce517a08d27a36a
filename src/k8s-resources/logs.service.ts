import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import type { K8sStream } from '../kubernetes/kube-client';
import type { LogQuery } from '../kubernetes/object-ref';
import { LogQueryDto, PodLogDto } from './logs.dto';
import { K8sObject } from './object-views';
import { ResourcesService } from './resources.service';

/** Text logs are capped so one chatty container cannot fill CloudPilot's memory or the client's. */
export const LOG_CAP_BYTES = 1024 * 1024;

/** Pod logs: resolves and checks the container first, so a wrong one gets the list of valid names. */
@Injectable()
export class LogsService {
  constructor(private readonly resources: ResourcesService) {}

  async read(clusterId: string, pod: string, q: LogQueryDto): Promise<PodLogDto> {
    const { api, ref, container, query } = await this.target(clusterId, pod, q);
    const text = await api
      .readLog(ref, { ...query, limitBytes: LOG_CAP_BYTES + 1 })
      .catch((error: unknown) => {
        throw previousLogMissing(error, q) ?? error;
      });
    const truncated = Buffer.byteLength(text) > LOG_CAP_BYTES;
    return {
      pod,
      namespace: q.namespace,
      container,
      previous: q.previous === true,
      text: truncated ? truncateUtf8(text, LOG_CAP_BYTES) : text,
      truncated,
    };
  }

  /** Opens the followed log of a container; the caller relays and closes it. */
  async follow(
    clusterId: string,
    pod: string,
    q: LogQueryDto,
    signal: AbortSignal,
  ): Promise<K8sStream> {
    const { api, ref, query } = await this.target(clusterId, pod, q);
    return api.streamLog(ref, query, signal);
  }

  /** The pod, its checked container and the log's query, for text and for streams. */
  private async target(clusterId: string, pod: string, q: LogQueryDto) {
    const api = await this.resources.api(clusterId);
    const ref = { kind: await api.resolve('pods'), namespace: q.namespace, name: pod };
    const container = chooseContainer(await api.get(ref), q.container);
    const query: LogQuery = {
      container,
      tailLines: q.tailLines,
      sinceSeconds: q.sinceSeconds,
      previous: q.previous ? 'true' : undefined,
      timestamps: q.timestamps ? 'true' : undefined,
    };
    return { api, ref, container, query };
  }
}

function containerNames(pod: K8sObject): string[] {
  const spec = pod.spec ?? {};
  return [
    ...(spec.containers ?? []),
    ...(spec.initContainers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ].map((c: { name: string }) => c.name);
}

function chooseContainer(pod: K8sObject, wanted: string | undefined): string {
  const names = containerNames(pod);
  if (wanted && names.includes(wanted)) return wanted;
  if (!wanted && (pod.spec?.containers ?? []).length === 1) return pod.spec.containers[0].name;
  const message = wanted
    ? `Pod ${pod.metadata?.name} has no container "${wanted}"`
    : `Pod ${pod.metadata?.name} has several containers: choose one`;
  throw new AppError('VALIDATION_FAILED', message, [
    { field: 'container', errors: [`one of: ${names.join(', ')}`] },
  ]);
}

/** The API server answers 400 when there is no previous instance; that is a missing log, not bad input. */
export function previousLogMissing(error: unknown, q: LogQueryDto): AppError | undefined {
  if (
    q.previous === true &&
    error instanceof AppError &&
    error.code === 'K8S_INVALID' &&
    /previous terminated container/i.test(error.message)
  ) {
    return new AppError(
      'K8S_PREVIOUS_LOG_NOT_FOUND',
      'The container has no previous (terminated) instance, so there is no previous log',
      { container: q.container },
    );
  }
  return undefined;
}

function truncateUtf8(text: string, bytes: number): string {
  // Cut on a character boundary: decoding the cut buffer drops a half character.
  return Buffer.from(text)
    .subarray(0, bytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}
