import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { K8sStream, KubeClient } from '../kubernetes/kube-client';
import { LogQueryDto, PodLogDto } from './logs.dto';
import { K8sObject } from './object-views';
import { ResourcesService } from './resources.service';

/** Text logs are capped so one chatty container cannot fill CloudPilot's memory or the client's. */
export const LOG_CAP_BYTES = 1024 * 1024;

export interface LogTarget {
  client: KubeClient;
  path: string;
  container: string;
  query: Record<string, string | number | undefined>;
}

/** Pod logs: resolves and checks the container first, so a wrong one gets the list of valid names. */
@Injectable()
export class LogsService {
  constructor(private readonly resources: ResourcesService) {}

  async read(clusterId: string, pod: string, q: LogQueryDto): Promise<PodLogDto> {
    const target = await this.target(clusterId, pod, q);
    const text = await target.client
      .requestText({
        path: target.path,
        accept: '*/*',
        query: { ...target.query, limitBytes: LOG_CAP_BYTES + 1 },
      })
      .catch((error: unknown) => {
        throw previousLogMissing(error, q) ?? error;
      });
    const truncated = Buffer.byteLength(text) > LOG_CAP_BYTES;
    return {
      pod,
      namespace: q.namespace,
      container: target.container,
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
    const target = await this.target(clusterId, pod, q, true);
    return target.client.stream({ path: target.path, accept: '*/*', query: target.query, signal });
  }

  /** Everything a log request needs, for text and for streams. */
  async target(clusterId: string, pod: string, q: LogQueryDto, follow = false): Promise<LogTarget> {
    const { client, resource } = await this.resources.resolve(clusterId, 'pods');
    const path = this.resources.path(resource, q.namespace, pod);
    const obj = await client.request<K8sObject>({ path });
    const container = chooseContainer(obj, q.container);
    const query = {
      container,
      tailLines: q.tailLines,
      sinceSeconds: q.sinceSeconds,
      previous: q.previous ? 'true' : undefined,
      timestamps: q.timestamps ? 'true' : undefined,
      follow: follow ? 'true' : undefined,
    };
    return { client, path: `${path}/log`, container, query };
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
