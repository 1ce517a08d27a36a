import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsIntegerIn } from '../common/integer.decorator';
import { IsK8sKindName, IsK8sNamespace, IsK8sObjectName } from '../common/k8s-validators';
import { CHANGE_CATEGORIES } from './change-diff';
import type { ChangeCategory } from './change-diff';
import { IsDateTime } from '../common/dto-field.decorator';

/** Filters and paging of a cluster's change timeline (newest first). */
export class ChangeQueryDto {
  @IsK8sNamespace({ optional: true })
  namespace?: string;

  /** The object's kind, e.g. Deployment, ConfigMap, Node. */
  @IsK8sKindName({ optional: true })
  kind?: string;

  @IsK8sObjectName({ optional: true })
  name?: string;

  @IsOptional()
  @IsIn(CHANGE_CATEGORIES)
  category?: ChangeCategory;

  /** ISO-8601: only changes at or after this time. */
  @IsDateTime({ optional: true })
  since?: string;

  /** ISO-8601: only changes at or before this time. */
  @IsDateTime({ optional: true })
  until?: string;

  /** Page size, 1–500. */
  @IsIntegerIn(1, 500, { optional: true, query: true, default: 50 })
  limit: number = 50;

  @IsIntegerIn(0, 2_147_483_647, { optional: true, query: true, default: 0 })
  offset: number = 0;
}

export class FieldChangeDto {
  /** The tracked field, e.g. `containers[app].image`, `data[LOG_LEVEL]`, `selector.app`. */
  path: string;
  /** null: added. Secret-looking values and every ConfigMap value are hashes (`hash:…`). */
  old: string | null;
  /** null: removed. */
  new: string | null;
}

export class ChangeDto {
  id: string;
  /** When the watch delivered it (ISO-8601). */
  at: string;
  group: string;
  kind: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  name: string;
  @ApiProperty({ enum: CHANGE_CATEGORIES })
  category: ChangeCategory;
  /** The field manager that made it (managedFields: kubectl, kube-controller-manager, argocd…). */
  manager: string | null;
  summary: string;
  diff: FieldChangeDto[];
}

export class ChangePageDto {
  items: ChangeDto[];
  total: number;
  limit: number;
  offset: number;
}

export class RelatedObjectDto {
  kind: string;
  namespace: string;
  name: string;
  /** 0: the finding's object; 1: owner, reference, node, autoscaler; 2–3: further. */
  distance: number;
  relation: string;
}

export class SuspectDto {
  rank: number;
  score: number;
  /** One sentence: what changed, where, who, and how long before the finding began. */
  reason: string;
  secondsBefore: number;
  relation: RelatedObjectDto;
  change: ChangeDto;
}

export class SuspectsDto {
  clusterId: string;
  findingId: string;
  code: string;
  firstSeen: string;
  /** The window searched: changes from `since` to shortly after firstSeen. */
  since: string;
  /** Most likely cause first. */
  items: SuspectDto[];
}
