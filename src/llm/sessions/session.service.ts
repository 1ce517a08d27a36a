import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { ClusterDirectory } from '../../cluster-registry/cluster-directory';
import { AppError } from '../../common/app-error';
import type { Principal } from '../../common/request-context';
import { ConfigProvider } from '../../config/config.provider';
import type { ChatMessage, ToolCall, Usage } from '../chat-types';
import {
  CreateSessionDto,
  MessageDto,
  SessionDetailDto,
  SessionDto,
  SessionListDto,
} from '../llm.dto';
import { resolveProvider } from '../llm-providers';
import { ProposalService } from '../proposals/proposal.service';
import { LlmMessage } from './llm-message.entity';
import { LlmSession } from './llm-session.entity';
import { ownerOf } from './owner';

const LIST_LIMIT = 200;

/** Sessions and their messages, each visible to the token that created it and nobody else. */
@Injectable()
export class SessionService {
  constructor(
    @InjectRepository(LlmSession) private readonly sessions: Repository<LlmSession>,
    @InjectRepository(LlmMessage) private readonly messages: Repository<LlmMessage>,
    private readonly clusters: ClusterDirectory,
    private readonly proposals: ProposalService,
    private readonly configProvider: ConfigProvider,
  ) {}

  async create(
    dto: CreateSessionDto,
    principal: Principal,
    acceptLanguage?: string,
  ): Promise<SessionDto> {
    const provider = resolveProvider(this.configProvider.config.llm, dto.provider);
    const cluster = await this.clusters.get(dto.clusterId);
    // A cluster outside the owner's grants does not exist for it, here as on every route.
    if (principal.scope.clusterRank(cluster) < 0)
      throw new AppError('CLUSTER_NOT_FOUND', `No cluster ${dto.clusterId}`);
    const now = new Date().toISOString();
    const row: LlmSession = {
      id: randomUUID(),
      owner: ownerOf(principal),
      title: dto.title ?? 'New investigation',
      clusterId: cluster.id,
      provider: provider.name,
      model: provider.model,
      language: dto.language ?? languageOf(acceptLanguage),
      promptTokens: 0,
      completionTokens: 0,
      costMicroUsd: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.sessions.insert(row);
    return sessionView(row);
  }

  async list(principal: Principal): Promise<SessionListDto> {
    const rows = await this.sessions.find({
      where: { owner: ownerOf(principal) },
      order: { updatedAt: 'DESC' },
      take: LIST_LIMIT,
    });
    return { items: rows.map(sessionView) };
  }

  async get(id: string, principal: Principal): Promise<SessionDetailDto> {
    const row = await this.load(id, principal);
    const messages = await this.messages.find({ where: { sessionId: id }, order: { seq: 'ASC' } });
    return {
      ...sessionView(row),
      messages: messages.map(messageView),
      proposals: await this.proposals.listForSession(id),
    };
  }

  async remove(id: string, principal: Principal): Promise<void> {
    await this.load(id, principal);
    await this.messages.delete({ sessionId: id });
    await this.sessions.delete({ id });
  }

  /** Another token's session is answered exactly like a missing one. */
  async load(id: string, principal: Principal): Promise<LlmSession> {
    const row = await this.sessions.findOneBy({ id });
    if (!row || row.owner !== ownerOf(principal))
      throw new AppError('NOT_FOUND', `No session ${id}`);
    return row;
  }

  async history(sessionId: string): Promise<ChatMessage[]> {
    const rows = await this.messages.find({ where: { sessionId }, order: { seq: 'ASC' } });
    return rows.map(chatMessageOf);
  }

  async append(sessionId: string, message: ChatMessage, toolName?: string): Promise<void> {
    const last = await this.messages.findOne({ where: { sessionId }, order: { seq: 'DESC' } });
    await this.messages.insert({
      id: randomUUID(),
      sessionId,
      seq: (last?.seq ?? 0) + 1,
      role: message.role === 'system' ? 'user' : message.role,
      content: message.content,
      toolCalls:
        message.role === 'assistant' && message.toolCalls?.length
          ? JSON.stringify(message.toolCalls)
          : null,
      toolCallId: message.role === 'tool' ? message.toolCallId : null,
      toolName: toolName ?? null,
      createdAt: new Date().toISOString(),
    });
  }

  async addUsage(session: LlmSession, usage: Usage, costUsd: number): Promise<void> {
    await this.sessions.increment({ id: session.id }, 'promptTokens', usage.promptTokens);
    await this.sessions.increment({ id: session.id }, 'completionTokens', usage.completionTokens);
    await this.sessions.increment({ id: session.id }, 'costMicroUsd', Math.round(costUsd * 1e6));
    await this.sessions.update({ id: session.id }, { updatedAt: new Date().toISOString() });
  }
}

export function languageOf(acceptLanguage: string | undefined): 'zh' | 'en' {
  return /^\s*zh\b/i.test(acceptLanguage ?? '') ? 'zh' : 'en';
}

function sessionView(row: LlmSession): SessionDto {
  return {
    id: row.id,
    title: row.title,
    clusterId: row.clusterId,
    provider: row.provider,
    model: row.model,
    language: row.language,
    usage: {
      promptTokens: row.promptTokens,
      completionTokens: row.completionTokens,
      costUsd: row.costMicroUsd / 1e6,
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function messageView(m: LlmMessage): MessageDto {
  return {
    seq: m.seq,
    role: m.role,
    content: m.content,
    toolCalls: m.toolCalls ? (JSON.parse(m.toolCalls) as ToolCall[]) : null,
    toolCallId: m.toolCallId,
    toolName: m.toolName,
    createdAt: m.createdAt,
  };
}

function chatMessageOf(m: LlmMessage): ChatMessage {
  if (m.role === 'tool')
    return { role: 'tool', toolCallId: m.toolCallId ?? '', content: m.content };
  if (m.role === 'assistant')
    return {
      role: 'assistant',
      content: m.content,
      toolCalls: m.toolCalls ? (JSON.parse(m.toolCalls) as ToolCall[]) : undefined,
    };
  return { role: 'user', content: m.content };
}
