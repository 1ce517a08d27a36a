import { IsK8sNamespace } from '../common/k8s-validators';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';

// Selector syntax is checked by the API server; this only keeps out what can never be part of one.
const SELECTOR = /^[A-Za-z0-9._\-/=!,()\s]*$/;

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
  @IsOptional()
  @MaxLength(1024)
  @Matches(SELECTOR, { message: 'labelSelector has characters no selector uses' })
  labelSelector?: string;

  /** Field selector, as kubectl --field-selector (e.g. status.phase=Running). */
  @IsOptional()
  @MaxLength(1024)
  @Matches(SELECTOR, { message: 'fieldSelector has characters no selector uses' })
  fieldSelector?: string;

  /** Page size, 1–500 (default 100). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  /** The `continue` token of the previous page, passed through from the API server. */
  @IsOptional()
  @MaxLength(8192)
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
