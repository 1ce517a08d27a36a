import { AppError } from '../common/app-error';
import type { ClusterDiscovery } from './cluster-discovery';
import { preferredResources, ServedKind } from './discovery';
import type { K8sObject } from './k8s-object';
import { findServed, KindRef, notServed } from './kind-lookup';
import type { ListPage, ListQuery, LogQuery, ObjectOptions, ObjectRef } from './object-ref';
import { collectionPath, objectPath } from './kinds';
import { budgetViolation, inNamespace } from './object-errors';
import type { K8sRequest, K8sStream, KubeClient } from './kube-client';

export const FIELD_MANAGER = 'cloudpilot';
const MERGE_PATCH = 'application/merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';

type Method = NonNullable<K8sRequest['method']>;
interface Call {
  method?: Method;
  subresource?: string;
  body?: unknown;
  contentType?: string;
  accept?: string;
  query?: K8sRequest['query'];
}

/**
 * One cluster's objects, by reference: every path is built here from the cluster's discovery, and
 * every failure leaves as the KubeClient's AppError (cluster in its details). Features never build
 * an API path nor see a client-node type. https://kubernetes.io/docs/reference/using-api/api-concepts/
 */
export class ObjectApi {
  constructor(
    readonly client: KubeClient,
    private readonly discovery: ClusterDiscovery,
  ) {}

  get clusterId(): string {
    return this.client.clusterId;
  }

  /** Every resource the cluster serves, each at its group's preferred version. */
  async kinds(): Promise<ServedKind[]> {
    return preferredResources(await this.discovery.get(this.client));
  }

  /** The served resource a reference means; throws the reference's "not served" error. */
  async resolve(kind: KindRef): Promise<ServedKind> {
    const found = await this.served(kind);
    if (!found) throw notServed(this.clusterId, kind);
    return found;
  }

  /** Like resolve, but undefined when the cluster does not serve the kind; a miss re-reads discovery once (a CRD just created). */
  async served(kind: KindRef): Promise<ServedKind | undefined> {
    return (
      findServed(await this.discovery.get(this.client), kind) ??
      findServed(await this.discovery.refreshAfterMiss(this.client), kind)
    );
  }

  /** One page of a collection (of `ref.namespace`, or of every namespace when absent). */
  async list<T = K8sObject>(
    ref: ObjectRef,
    query: ListQuery = {},
    options: ObjectOptions = {},
  ): Promise<ListPage<T>> {
    const kind = await this.resolve(ref.kind);
    const page = await this.send<{
      items?: T[] | null;
      metadata?: { continue?: string; remainingItemCount?: number; resourceVersion?: string };
    }>(kind, { namespace: ref.namespace }, options, { query: { ...query } });
    return {
      items: page.items ?? [],
      continue: page.metadata?.continue || null,
      remainingItemCount: page.metadata?.remainingItemCount ?? null,
      resourceVersion: page.metadata?.resourceVersion ?? null,
    };
  }

  /** Every page of a collection, stopping once `maxItems` are read (`truncated` says so). */
  async listAll<T = K8sObject>(
    ref: ObjectRef,
    query: Omit<ListQuery, 'continue'> = {},
    maxItems = Infinity,
  ): Promise<{ items: T[]; truncated: boolean }> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const page = await this.list<T>(ref, { ...query, continue: token });
      items.push(...page.items);
      token = page.continue ?? undefined;
    } while (token && items.length < maxItems);
    return { items, truncated: Boolean(token) };
  }

  async get<T = K8sObject>(ref: ObjectRef, options: ObjectOptions = {}): Promise<T> {
    const kind = await this.resolve(ref.kind);
    return this.send<T>(kind, this.one(kind, ref), options, {
      query: { resourceVersion: options.resourceVersion },
    });
  }

  /** POST to the collection of `ref.namespace`. */
  async create<T = K8sObject>(ref: ObjectRef, body: K8sObject, options: ObjectOptions = {}) {
    const kind = await this.resolve(ref.kind);
    return this.send<T>(kind, { namespace: ref.namespace }, options, {
      method: 'POST',
      body,
      query: writeQuery(options),
    });
  }

  /**
   * PUT of the whole object, conditional on `resourceVersion` (the option, else the body's); with
   * neither, the current one is read first, so the replace is unconditional.
   */
  async replace<T = K8sObject>(ref: ObjectRef, body: K8sObject, options: ObjectOptions = {}) {
    const kind = await this.resolve(ref.kind);
    const resourceVersion =
      options.resourceVersion ??
      body.metadata?.resourceVersion ??
      (await this.get({ ...ref, kind }, options)).metadata?.resourceVersion;
    return this.send<T>(kind, this.one(kind, ref), options, {
      method: 'PUT',
      body: { ...body, metadata: { ...body.metadata, resourceVersion } },
      query: writeQuery(options),
    });
  }

  /** JSON merge patch (custom resources refuse strategic merge); `resourceVersion` makes it conditional. */
  async mergePatch<T = K8sObject>(
    ref: ObjectRef,
    patch: K8sObject,
    options: ObjectOptions = {},
    subresource?: 'scale' | 'status',
  ): Promise<T> {
    const kind = await this.resolve(ref.kind);
    const body = options.resourceVersion
      ? { ...patch, metadata: { ...patch.metadata, resourceVersion: options.resourceVersion } }
      : patch;
    return this.send<T>(kind, this.one(kind, ref), options, {
      method: 'PATCH',
      subresource,
      body,
      contentType: MERGE_PATCH,
      query: writeQuery(options),
    });
  }

  /** Server-side apply of a whole object; `force` takes over fields other managers own. */
  async apply<T = K8sObject>(ref: ObjectRef, body: K8sObject, options: ObjectOptions = {}) {
    const kind = await this.resolve(ref.kind);
    return this.send<T>(kind, this.one(kind, ref), options, {
      method: 'PATCH',
      body,
      contentType: APPLY_PATCH,
      query: { ...writeQuery(options), force: options.force || undefined },
    });
  }

  /** DELETE; `resourceVersion` becomes the precondition. Answers the object or a Status. */
  async delete<T = K8sObject>(ref: ObjectRef, options: ObjectOptions = {}): Promise<T> {
    const kind = await this.resolve(ref.kind);
    const { resourceVersion } = options;
    return this.send<T>(kind, this.one(kind, ref), options, {
      method: 'DELETE',
      body: resourceVersion
        ? { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion } }
        : undefined,
      query: { dryRun: dryRun(options) },
    });
  }

  /** Sets the replicas through the scale subresource. */
  scale<T = K8sObject>(ref: ObjectRef, replicas: number, options: ObjectOptions = {}) {
    return this.mergePatch<T>(ref, { spec: { replicas } }, options, 'scale');
  }

  /**
   * Evicts a pod through the eviction API, so PodDisruptionBudgets are honoured (unlike a delete).
   * https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/
   */
  async evict(ref: ObjectRef, options: ObjectOptions = {}): Promise<void> {
    const kind = await this.resolve(ref.kind);
    const body = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: ref.name, namespace: ref.namespace },
      ...(options.dryRun ? { deleteOptions: { dryRun: ['All'] } } : {}),
    };
    await this.send(kind, this.one(kind, ref), options, {
      method: 'POST',
      subresource: 'eviction',
      body,
    }).catch((error: unknown) => {
      throw budgetViolation(error, ref) ?? error;
    });
  }

  /** A pod's log as text. */
  async readLog(ref: ObjectRef, query: LogQuery, options: ObjectOptions = {}): Promise<string> {
    const kind = await this.resolve(ref.kind);
    const path = this.path(kind, this.one(kind, ref), 'log');
    return this.client
      .requestText({ path, accept: '*/*', query, ...deadline(options) })
      .catch(inNamespace(ref.namespace));
  }

  /** A pod's followed log; the caller reads and closes the stream. */
  async streamLog(ref: ObjectRef, query: LogQuery, signal?: AbortSignal): Promise<K8sStream> {
    const kind = await this.resolve(ref.kind);
    const path = this.path(kind, this.one(kind, ref), 'log');
    return this.client
      .stream({ path, accept: '*/*', query: { ...query, follow: 'true' }, signal })
      .catch(inNamespace(ref.namespace));
  }

  /** A watch of a collection from `resourceVersion`; the caller reads and closes the stream. */
  async watch(
    ref: ObjectRef,
    query: ListQuery & { resourceVersion?: string },
    signal?: AbortSignal,
  ) {
    const kind = await this.resolve(ref.kind);
    const path = this.path(kind, { namespace: ref.namespace });
    return this.client
      .streamChunks({ path, query: { ...query, watch: 1 }, signal })
      .catch(inNamespace(ref.namespace));
  }

  private send<T>(kind: ServedKind, at: Where, options: ObjectOptions, call: Call): Promise<T> {
    return this.client
      .request<T>({
        method: call.method,
        path: this.path(kind, at, call.subresource),
        body: call.body,
        contentType: call.contentType,
        accept: call.accept,
        query: call.query,
        ...deadline(options),
      })
      .catch(inNamespace(at.namespace));
  }

  /** The object a reference names: a namespaced kind needs its namespace. */
  private one(kind: ServedKind, ref: ObjectRef): Where {
    if (kind.namespaced && !ref.namespace)
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        { field: 'namespace', errors: [`${kind.kind} is namespaced: namespace is required`] },
      ]);
    return { namespace: kind.namespaced ? ref.namespace : undefined, name: ref.name ?? '' };
  }

  private path(kind: ServedKind, at: Where, subresource?: string): string {
    if (at.name === undefined) return collectionPath(kind, kind.version, at.namespace);
    const path = objectPath(kind, kind.version, at.name, at.namespace);
    return subresource ? `${path}/${subresource}` : path;
  }
}

interface Where {
  namespace: string | undefined;
  name?: string;
}

function dryRun(options: ObjectOptions): 'All' | undefined {
  return options.dryRun ? 'All' : undefined;
}

function writeQuery(options: ObjectOptions): K8sRequest['query'] {
  return { dryRun: dryRun(options), fieldManager: options.fieldManager ?? FIELD_MANAGER };
}

function deadline(options: ObjectOptions): Pick<K8sRequest, 'timeoutMs' | 'signal'> {
  return { timeoutMs: options.timeoutMs, signal: options.signal };
}
