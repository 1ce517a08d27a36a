import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class ApplyDto {
  /** One or several YAML (or JSON) documents separated by `---`. */
  @IsString()
  @MaxLength(1048576)
  manifest: string;

  /** Take over fields another field manager owns (server-side apply force); default false. */
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

export class ApplyQueryDto {
  /** Namespace for documents that name none. */
  @IsOptional()
  @Matches(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: 'namespace must be a DNS-1123 label' })
  namespace?: string;

  /** true: every document is applied as a server-side dry run and the answer carries a diff. */
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}

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

