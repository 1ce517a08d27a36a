import { InternPool } from './intern';
import { internLabels } from './labelled';
import type { K8sObject } from './object-fields';

/** The annotation that silences finding codes on one object (docs/diagnostics.md#silences). */
export const IGNORE_ANNOTATION = 'cloudpilot.dev/ignore';

const CODE = /^[A-Z][A-Z0-9_]{1,80}$/;

/**
 * What silences read of an object besides its kind and name: its labels (for a silence's label
 * matchers) and the codes its `cloudpilot.dev/ignore` annotation names.
 */
export interface SilenceMeta {
  labels?: Record<string, string>;
  /** Absent unless the object carries the annotation with at least one well-formed code. */
  ignore?: readonly string[];
}

/** Annotated objects of one workload repeat the same value: one frozen list per distinct value. */
const codeLists = new InternPool<readonly string[]>(1_000);

/** The codes of a `cloudpilot.dev/ignore: CODE[,CODE]` annotation; malformed entries are left out. */
export function ignoredCodes(
  annotations: Record<string, unknown> | undefined,
): readonly string[] | undefined {
  const value = annotations?.[IGNORE_ANNOTATION];
  if (typeof value !== 'string') return undefined;
  const codes = codeLists.get(value, () =>
    Object.freeze(
      value
        .split(',')
        .map((c) => c.trim())
        .filter((c) => CODE.test(c)),
    ),
  );
  return codes.length ? codes : undefined;
}

/**
 * The record with its labels (the shared instance) and, only when annotated, its ignored codes.
 * Most objects carry no annotation, so most records pay one shared pointer and nothing more.
 */
export function withSilenceMeta<R extends object>(record: R, object: K8sObject): R & SilenceMeta {
  const meta = record as R & SilenceMeta;
  if (!('labels' in record)) meta.labels = internLabels(object.metadata?.labels);
  const ignore = ignoredCodes(object.metadata?.annotations);
  if (ignore) meta.ignore = ignore;
  return meta;
}
