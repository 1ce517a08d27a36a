import { Injectable } from '@nestjs/common';

export interface ReadinessCheck {
  name: string;
  /** Resolves true (or details to show) when ready; rejects or returns false when not. */
  check: () => Promise<boolean | Record<string, unknown>>;
}

/** Modules add what "ready" means to them (the monitor's first sync, for one) without health knowing them. */
@Injectable()
export class ReadinessRegistry {
  private readonly checks: ReadinessCheck[] = [];

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  all(): readonly ReadinessCheck[] {
    return this.checks;
  }
}
