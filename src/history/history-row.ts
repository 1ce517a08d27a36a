/** The shapes of history rows, shared by the row builders and the services that store and read them. */

/** The values of one sample; CPU in cores, memory in bytes, the rest counts. */
export type HistoryValues = Record<string, number | null>;

/** What a row describes; the row's name says which one (see history.dto.ts). */
export type HistoryScope = 'cluster' | 'namespace' | 'workload' | 'node' | 'nodePool' | 'hpa';

export interface HistoryRow {
  clusterId: string;
  scope: HistoryScope;
  name: string;
  slot: number;
  at: string;
  values: HistoryValues;
}

/** The name and values of one row, before its cluster, scope and tick are set. */
export interface ScopeValues {
  name: string;
  values: HistoryValues;
}
