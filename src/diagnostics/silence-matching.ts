import type { Finding, ObjectRef } from '../cluster-state/finding';
import { refText } from '../cluster-state/finding';
import { IGNORE_ANNOTATION } from '../cluster-state/records/silence-meta';
import { mapMatches } from './selectors';
import type { SilenceMarkerDto } from './diagnostics.dto';

/** Which findings a silence covers: every matcher given must hold (none given is refused). */
export interface SilenceMatchers {
  code?: string;
  namespace?: string;
  /** Compared without case (deployment = Deployment). */
  kind?: string;
  /** A regular expression over the object's whole name (anchored). */
  name?: string;
  /** Equality on the labels of the object the finding names. */
  labels?: Record<string, string>;
}

/** A silence as matching needs it: its matchers compiled, its expiry in epoch ms. */
export interface ActiveSilence {
  id: string;
  matchers: SilenceMatchers;
  namePattern?: RegExp;
  comment: string;
  author: string;
  expiresAt: string;
  expiresAtMs: number;
}

/**
 * Why a finding is silenced: a stored silence (its id, comment, author and expiry), or the
 * annotation of an object (the finding's or an owner's). The shape is the one the API answers.
 */
export type SilenceMarker = SilenceMarkerDto;

/** What silencing reads of a cached object; undefined when the object is not cached. */
export interface SilenceObjectMeta {
  labels?: Record<string, string>;
  ignore?: readonly string[];
  owner?: { kind: string; name: string };
}

export type SilenceMetaLookup = (ref: ObjectRef) => SilenceObjectMeta | undefined;

/** Owner steps followed for the annotation: Pod → ReplicaSet → Deployment, Pod → Job → CronJob. */
const OWNER_STEPS = 3;

/** More unbounded repetitions than this can backtrack polynomially (n^k) over a 253-character name. */
const MAX_UNBOUNDED = 3;

const isRepeat = (c: string | undefined): boolean => c === '*' || c === '+' || c === '{';

/**
 * Why a pattern could take exponential or large polynomial time, or null. A group that is repeated
 * and itself repeats or alternates ((a+)+, (a|aa)*) backtracks exponentially; many unbounded
 * repetitions (.*.*.*.*) backtrack as a power of the name's length. Names come from the cluster,
 * so anyone who may create a pod would otherwise choose how long the request thread spins.
 */
function slowPatternProblem(source: string): string | null {
  const groups: boolean[] = [];
  let inClass = false;
  let unbounded = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      if (!inClass && /[1-9k]/.test(source[i + 1] ?? '')) return 'name must not use backreferences';
      i++;
      continue;
    }
    if (inClass || c === '[') {
      inClass = c !== ']';
      continue;
    }
    if (c === '*' || c === '+' || (c === '{' && /^\{[0-9]*,\}/.test(source.slice(i)))) unbounded++;
    if (c === '(') groups.push(false);
    else if (c === ')') {
      const inner = groups.pop() ?? false;
      const repeated = isRepeat(source[i + 1]);
      if (inner && repeated)
        return 'name must not repeat a group that itself repeats or alternates (exponential time)';
      if (groups.length && (inner || repeated)) groups[groups.length - 1] = true;
    } else if (groups.length && (isRepeat(c) || c === '|' || (c === '?' && source[i - 1] !== '(')))
      groups[groups.length - 1] = true;
  }
  return unbounded > MAX_UNBOUNDED
    ? `name must not hold more than ${MAX_UNBOUNDED} unbounded repetitions (*, +, {n,})`
    : null;
}

/** The problem with a name pattern, or null: it must compile and must not be slow to match. */
export function namePatternProblem(source: string): string | null {
  try {
    new RegExp(source);
  } catch (error) {
    return `name is not a valid regular expression: ${(error as Error).message}`;
  }
  return slowPatternProblem(source);
}

/** The pattern anchored over the whole name, as Alertmanager's regex matchers are. */
export const compileNamePattern = (source: string): RegExp => new RegExp(`^(?:${source})$`);

export function silenceMatches(
  silence: Pick<ActiveSilence, 'matchers' | 'namePattern'>,
  finding: Pick<Finding, 'code' | 'object'>,
  labels: () => Record<string, string> | undefined,
): boolean {
  const m = silence.matchers;
  const { object } = finding;
  if (m.code !== undefined && m.code !== finding.code) return false;
  if (m.namespace !== undefined && m.namespace !== object.namespace) return false;
  if (m.kind !== undefined && m.kind.toLowerCase() !== object.kind.toLowerCase()) return false;
  if (silence.namePattern && !silence.namePattern.test(object.name)) return false;
  if (m.labels === undefined) return true;
  const actual = labels();
  return actual !== undefined && mapMatches(m.labels, actual);
}

/**
 * Why `finding` is silenced at `now`, or undefined. A stored silence wins over the annotation (it
 * says who and until when). The annotation counts on the object the finding names and on its
 * controlling owners, so one on a Deployment covers its ReplicaSets' findings too.
 */
export function silenceOf(
  finding: Pick<Finding, 'code' | 'object'>,
  silences: readonly ActiveSilence[],
  lookup: SilenceMetaLookup,
  now: number,
): SilenceMarker | undefined {
  let meta: SilenceObjectMeta | undefined | null = null;
  const own = () => (meta === null ? (meta = lookup(finding.object)) : meta);
  for (const s of silences)
    if (s.expiresAtMs > now && silenceMatches(s, finding, () => own()?.labels))
      return {
        by: 'silence',
        silenceId: s.id,
        comment: s.comment,
        author: s.author,
        expiresAt: s.expiresAt,
      };
  let ref: ObjectRef | undefined = finding.object;
  let current = own();
  for (let step = 0; ref && current && step <= OWNER_STEPS; step++) {
    if (current.ignore?.includes(finding.code))
      return { by: 'annotation', annotation: IGNORE_ANNOTATION, object: refText(ref) };
    ref = current.owner ? { ...ref, group: '', ...current.owner } : undefined;
    current = ref ? lookup(ref) : undefined;
  }
  return undefined;
}
