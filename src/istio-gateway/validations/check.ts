import type { RawFinding, Severity } from '../../cluster-state/finding';
import { MeshSnapshot, Obj, refOf, SnapshotPart } from './snapshot';

/** A snapshot whose parts a check declared it needs are all present. */
export type Loaded = { [K in SnapshotPart]: NonNullable<MeshSnapshot[K]> };

/**
 * A finding of the validations: the diagnostics' one finding type, whose evidence fields are the
 * offending field's JSON path (e.g. spec.servers[0].port.name) and the Kiali/istioctl equivalents.
 */
export type MeshFinding = RawFinding & {
  fields: { path: string; kialiCode: string | null; istioctlCode: string | null };
};

/** One validation: its stable code, what it reads, and the pure function that finds problems. */
export interface Check {
  code: string;
  /** API group of the objects the check reports on. */
  group: string;
  severity: Severity;
  kialiCode: string | null;
  istioctlCode: string | null;
  /** Snapshot parts the check reads; when one is missing the check is skipped, never guessed. */
  needs: SnapshotPart[];
  run(snapshot: Loaded): MeshFinding[];
}

export type Emit = (
  kind: string,
  obj: Obj,
  path: string,
  message: string,
  suggestion: string,
) => MeshFinding;

/** Builds findings carrying the check's code, severity and Kiali/istioctl equivalents. */
export function emitter(check: Omit<Check, 'run' | 'needs'>): Emit {
  return (kind, obj, path, message, suggestion) => ({
    code: check.code,
    severity: check.severity,
    object: refOf(check.group, kind, obj),
    message,
    fields: { path, kialiCode: check.kialiCode, istioctlCode: check.istioctlCode },
    suggestion,
    source: 'istio',
  });
}

/** Declares a check from its metadata and a body that receives its emitter. */
export function defineCheck(
  meta: Omit<Check, 'run'>,
  body: (snapshot: Loaded, emit: Emit) => MeshFinding[],
): Check {
  const emit = emitter(meta);
  return { ...meta, run: (snapshot) => body(snapshot, emit) };
}

/**
 * For each object's entries (subsets, listeners, hosts), the first other object that clashes with
 * the entry: one finding per clashing entry, in object then entry order.
 */
export function clashes<E>(
  objects: Obj[],
  entries: (obj: Obj) => E[],
  clash: (obj: Obj, other: Obj, entry: E) => boolean,
  report: (obj: Obj, other: Obj, entry: E, index: number) => MeshFinding,
): MeshFinding[] {
  const found: MeshFinding[] = [];
  for (const obj of objects)
    entries(obj).forEach((entry, i) => {
      const other = objects.find((o) => o !== obj && clash(obj, o, entry));
      if (other) found.push(report(obj, other, entry, i));
    });
  return found;
}
