import type { DesiredSeries } from './series.mjs';
export const TCP_REQUEST_BYTES: number;
export const TCP_RESPONSE_BYTES: number;
export function desiredSeries(
  view: Record<string, Map<string, unknown>>,
  options: { now: number; since: (key: string, value: string) => number },
): { series: DesiredSeries[]; alive: Set<string>; problems: string[] };
