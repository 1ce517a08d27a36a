import type { Point } from './methods/series';

/** One stored sample, as the history gives it: time and metric values. */
export interface Sample {
  at: string;
  values: Record<string, number | null>;
}

/** The points of one metric in the samples (oldest first), skipping samples without it. */
export function basisOf(samples: readonly Sample[], metric: string): Point[] {
  return samples.flatMap((s) => {
    const v = s.values[metric];
    return typeof v === 'number' ? [{ t: Date.parse(s.at), v }] : [];
  });
}
