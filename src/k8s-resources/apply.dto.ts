import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { ActionQueryDto } from './actions.dto';

// A whole manifest: an example built field by field would never parse as an object.
const APPLY_EXAMPLE = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: cloudpilot-example',
  'data:',
  '  greeting: hello',
  '',
].join('\n');

export class ApplyDto {
  /** One or several YAML (or JSON) documents separated by `---`. */
  @ApiProperty({ example: APPLY_EXAMPLE })
  @IsString()
  @MaxLength(1048576)
  manifest: string;

  /** Take over fields another field manager owns (server-side apply force); default false. */
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

/** `namespace` is the default for documents that name none; `dryRun=true` answers with a diff per object. */
export class ApplyQueryDto extends ActionQueryDto {}

export class DiffEntryDto {
  path: string;
  op: 'add' | 'remove' | 'replace';
  from?: unknown;
  to?: unknown;
}

export class AppliedObjectDto {
  kind: string;
  name: string;
  namespace: string | null;
  /** created, configured or unchanged (known exactly only on dry run, which reads the current object). */
  outcome: 'created' | 'configured' | 'unchanged' | 'applied';
  object: Record<string, unknown>;
  /** Dry run only: what would change against the current object. */
  diff?: DiffEntryDto[];
}

export class ApplyResultDto {
  dryRun: boolean;
  items: AppliedObjectDto[];
}
