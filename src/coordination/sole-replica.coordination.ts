import { Injectable } from '@nestjs/common';
import { LeadershipStatus, ReplicaCoordination } from './replica-coordination';

/** SQLite (one replica by design, enforced by the Helm schema): nobody else to tell, nobody to outvote. */
@Injectable()
export class SoleReplicaCoordination extends ReplicaCoordination {
  private readonly since = new Date().toISOString();

  constructor(readonly replicaId: string) {
    super();
  }

  async publish(): Promise<void> {}

  subscribe(): () => void {
    return () => undefined;
  }

  isLeader(): boolean {
    return true;
  }

  status(): LeadershipStatus {
    return { method: 'sole', replicaId: this.replicaId, leader: true, since: this.since };
  }
}
