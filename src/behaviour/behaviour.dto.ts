import { ApiProperty } from '@nestjs/swagger';
import { TelemetryClusterDto, TelemetryStateDto } from '../telemetry/telemetry.dto';

/** The last behaviour evaluation of a cluster (its findings are in GET …/diagnostics). */
export class BehaviourStatusDto {
  cluster: TelemetryClusterDto;
  /** Prometheus's answer to the last evaluation (notConfigured, or its error as data); null before the first. */
  @ApiProperty({ type: TelemetryStateDto, nullable: true })
  telemetry: TelemetryStateDto | null;
  /** When the last evaluation ran; null before the first. */
  @ApiProperty({ type: String, nullable: true })
  evaluatedAt: string | null;
  intervalSeconds: number;
  /** Behaviour findings of the last evaluation (BEHAVIOUR_*, FORECAST_PVC_FULL, FORECAST_MEMORY_LIMIT). */
  findings: number;
  /** Their codes, sorted, one per finding. */
  codes: string[];
}
