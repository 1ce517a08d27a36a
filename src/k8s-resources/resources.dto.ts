import {
  IsContinueToken,
  IsFieldSelector,
  IsK8sNamespace,
  IsLabelSelector,
  IsPageLimit,
} from '../common/k8s-validators';
import { IsIn, IsOptional } from 'class-validator';

export class ObjectQueryDto {
  /** Namespace of a namespaced object. */
  @IsK8sNamespace({ optional: true })
  namespace?: string;

  /** slim (default: no managedFields or last-applied annotation), full, or summary (pods, deployments, nodes). */
  @IsOptional()
  @IsIn(['slim', 'full', 'summary'])
  view?: 'slim' | 'full' | 'summary';
}

export class ListQueryDto extends ObjectQueryDto {
  /** Label selector, as kubectl -l (e.g. app=web,tier!=db). */
  @IsLabelSelector()
  labelSelector?: string;

  /** Field selector, as kubectl --field-selector (e.g. status.phase=Running). */
  @IsFieldSelector()
  fieldSelector?: string;

  /** Page size, 1–500 (default 100). */
  @IsPageLimit()
  limit?: number;

  /** The `continue` token of the previous page, passed through from the API server. */
  @IsContinueToken()
  continue?: string;
}

export class ServedResourceDto {
  /** `plural.group` (the plural alone for the core group): always accepted as `:kind`. */
  key: string;
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
}

export class ResourceListDto {
  apiVersion: string;
  kind: string;
  items: Record<string, unknown>[];
  /** Token for the next page; null on the last page. */
  continue: string | null;
  remainingItemCount: number | null;
}
