import { CLUSTER_REF_RULE, PROVIDER_NAME_RULE } from '../common/input-vocabulary';
import { FollowsRule } from '../common/k8s-validators';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PROPOSAL_ACTIONS, ProposalAction } from './proposals/proposal-types';

export class CreateSessionDto {
  /** Cluster the assistant investigates (id or name). */
  @FollowsRule(CLUSTER_REF_RULE)
  clusterId: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  title?: string;

  /** Named provider of llm.providers; the default provider when omitted. */
  @FollowsRule(PROVIDER_NAME_RULE, { optional: true })
  provider?: string;

  /** Language of the answers; default from Accept-Language (zh… → zh, else en). */
  @IsOptional()
  @IsIn(['zh', 'en'])
  language?: 'zh' | 'en';
}

export class SendMessageDto {
  /** The question or follow-up, e.g. "why is checkout failing in prod?". */
  @IsString()
  @MinLength(1)
  @MaxLength(16000)
  content: string;
}

export class ExplainQueryDto {
  @IsOptional()
  @IsIn(['zh', 'en'])
  language?: 'zh' | 'en';

  @FollowsRule(PROVIDER_NAME_RULE, { optional: true })
  provider?: string;
}

export class UsageDto {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export class SessionDto {
  id: string;
  title: string;
  clusterId: string;
  provider: string;
  model: string;
  language: string;
  usage: UsageDto;
  createdAt: string;
  updatedAt: string;
}

export class ToolCallDto {
  id: string;
  name: string;
  arguments: string;
}

export class MessageDto {
  seq: number;
  role: 'user' | 'assistant' | 'tool';
  /** Tool results as the model saw them: redacted and size-capped JSON. */
  content: string;
  toolCalls: ToolCallDto[] | null;
  toolCallId: string | null;
  toolName: string | null;
  createdAt: string;
}

export class DiffEntryViewDto {
  path: string;
  op: 'add' | 'remove' | 'replace';
  from?: unknown;
  to?: unknown;
}

export class DryRunDto {
  result: unknown;
  diff: DiffEntryViewDto[];
}

// The action's enum is stated, not inferred: an inferred union's order follows the compiler's
// internals, which move with unrelated edits. Stated properties come first in the document, so
// the ones before it are stated too.
export class ProposalDto {
  @ApiProperty()
  id: string;
  @ApiProperty({ type: String, nullable: true })
  sessionId: string | null;
  @ApiProperty()
  clusterId: string;
  @ApiProperty({ enum: PROPOSAL_ACTIONS })
  action: ProposalAction;
  kind: string;
  namespace: string | null;
  name: string | null;
  params: Record<string, unknown>;
  reason: string;
  dryRun: DryRunDto;
  /** The target's resourceVersion when proposed; approval is refused (409) if it moved. */
  resourceVersion: string | null;
  status: 'pending' | 'applying' | 'applied' | 'rejected' | 'expired' | 'failed';
  createdAt: string;
  expiresAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  resultCode: string | null;
}

export class SessionDetailDto extends SessionDto {
  messages: MessageDto[];
  proposals: ProposalDto[];
}

export class SessionListDto {
  items: SessionDto[];
}

export class ExplanationDto {
  clusterId: string;
  findingId: string;
  /** Changes when the finding does; answers are cached per version and language. */
  findingVersion: string;
  language: 'zh' | 'en';
  cause: string;
  evidence: string[];
  fix: string;
  cached: boolean;
  usage: UsageDto;
}
