/** One point of a cluster's trend, taken by the scheduled tick. */
export interface OverviewSample {
  at: string;
  nodesReady: number;
  podsRunning: number;
  podsPending: number;
  podsFailed: number;
  cpuRequests: number;
  memoryRequests: number;
  cpuUsage: number | null;
  memoryUsage: number | null;
}

/** A bounded ring of samples: memory stays fixed however long CloudPilot runs. */
export class OverviewHistory {
  private readonly samples: OverviewSample[] = [];

  constructor(private readonly capacity: number) {}

  add(sample: OverviewSample): void {
    this.samples.push(sample);
    if (this.samples.length > this.capacity)
      this.samples.splice(0, this.samples.length - this.capacity);
  }

  /** Oldest first. */
  list(): OverviewSample[] {
    return [...this.samples];
  }
}
