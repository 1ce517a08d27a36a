import { Body, Controller, Delete, Get, Headers, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import type { Principal } from '../common/request-context';
import { Caller } from '../common/caller.decorator';
import { UuidParam } from '../common/route-params.decorator';
import { ChatService } from './chat.service';
import {
  CreateSessionDto,
  SendMessageDto,
  SessionDetailDto,
  SessionDto,
  SessionListDto,
} from './llm.dto';
import { SessionService } from './sessions/session.service';
import { SseStream } from '../common/sse-stream';
import type { SseEventName } from './sse-writer';

// A session belongs to the token that opened it: the service checks ownership, not a grant.
const Owned = ApiEndpoint.with({ access: 'global' });
const ONE: ErrorCode[] = ['VALIDATION_FAILED', 'NOT_FOUND'];

@ApiTags('llm')
@Controller('api/v1/llm/sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionService,
    private readonly chat: ChatService,
  ) {}

  @Post()
  @Owned('Open an assistant session on a cluster (owned by this token)', {
    status: 201,
    response: SessionDto,
    errors: ['VALIDATION_FAILED', 'CLUSTER_NOT_FOUND', 'LLM_NOT_CONFIGURED'],
  })
  create(
    @Body() dto: CreateSessionDto,
    @Caller() caller: Principal,
    @Headers('accept-language') lang?: string,
  ): Promise<SessionDto> {
    return this.sessions.create(dto, caller, lang);
  }

  @Get()
  @Owned("This token's sessions, newest first", { response: SessionListDto })
  list(@Caller() caller: Principal): Promise<SessionListDto> {
    return this.sessions.list(caller);
  }

  @Get(':id')
  @Owned('A session with its messages (tool results redacted), usage and proposals', {
    response: SessionDetailDto,
    errors: ONE,
  })
  get(@UuidParam() id: string, @Caller() caller: Principal): Promise<SessionDetailDto> {
    return this.sessions.get(id, caller);
  }

  @Delete(':id')
  @Owned('Delete a session and its messages (proposals stay, for the audit trail)', { errors: ONE })
  remove(@UuidParam() id: string, @Caller() caller: Principal): Promise<void> {
    return this.sessions.remove(id, caller);
  }

  @Post(':id/messages')
  @Owned(
    'Ask a question; the answer streams as Server-Sent Events: delta, tool_call, tool_result (redacted summary), proposal, then done or error',
    { rawContentType: 'text/event-stream', errors: [...ONE, 'LLM_NOT_CONFIGURED'] },
  )
  async send(
    @UuidParam() id: string,
    @Body() dto: SendMessageDto,
    @Caller() caller: Principal,
    @Res() res: Response,
  ): Promise<void> {
    const turn = await this.chat.prepare(id, dto, caller);
    await this.chat.run(turn, new SseStream<SseEventName>(res));
  }
}
