import type { Latency } from './annotations.mjs';
export const ISTIO_BUCKETS: number[];
export function bucketFractions(latency: Latency): number[];
export function meanOf(fractions: number[]): number;
export function quantileOf(fractions: number[], q: number): number;
