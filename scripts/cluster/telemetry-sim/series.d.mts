export interface DesiredSeries {
  family: string;
  labels?: Record<string, string>;
  text?: string;
  owner: string;
  rate?: number;
  gauge?: { base: number; slope: number; t0: number; min: number; max: number };
  histogram?: { rate: number; fractions: number[]; mean: number };
}
export function labelText(labels: Record<string, string>): string;
export class SeriesStore {
  readonly size: number;
  update(desired: DesiredSeries[], alive: Set<string>, now: number): void;
  chunks(now: number, batch?: number): Generator<string>;
  render(now: number): string;
}
