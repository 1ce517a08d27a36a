export const PREFIX: string;
export const DEFAULT_LATENCY: Latency;
export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}
export interface Call {
  service: string;
  namespace: string;
  rps: number;
}
export interface SimSpec {
  problems: string[];
  calls: Call[];
  ingressRps: number;
  errorRatio: number;
  clientErrorRatio: number;
  latencyMs: Latency;
  protocol: 'http' | 'grpc' | 'tcp';
  mtls: boolean;
  cpu: number;
  cpuThrottleRatio: number;
  memory: number;
  memoryGrowth: number;
  volumeUsed: number;
  volumeFill: number;
}
export function parseQuantity(text: string): number;
export function parseRate(text: string): number;
export function parseCalls(text: string, ownNamespace: string): Call[];
export function parseLatency(text: string): Latency;
export function simSpec(annotations?: Record<string, string>, namespace?: string): SimSpec;
