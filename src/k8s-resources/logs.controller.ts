import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { LogQueryDto, PodLogDto } from './logs.dto';
import { LOG_STREAM_EVENTS, pipeLogAsSse } from './log-stream';
import { LogsService } from './logs.service';
import { PathParams } from '../common/route-params.decorator';
import { NamedPathDto } from '../common/object-path.dto';

const ERRORS: ErrorCode[] = ['K8S_NOT_FOUND', 'K8S_PREVIOUS_LOG_NOT_FOUND'];
const Log = ClusterEndpoint.with({ access: 'namespaced', live: true, errors: ERRORS });

@ApiTags('logs')
@Controller('api/v1/clusters/:clusterId/pods/:name/logs')
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @Get()
  @Log("A container's log as text in the envelope, capped at 1 MiB (truncated flag)", {
    response: PodLogDto,
  })
  read(@PathParams() at: NamedPathDto, @Query() q: LogQueryDto): Promise<PodLogDto> {
    return this.logs.read(at.clusterId, at.name, q);
  }

  @Get('stream')
  @Log(
    'Follow the log as Server-Sent Events: one `line` event per line, heartbeats every 15 s, `end` when the container stops',
    { sse: LOG_STREAM_EVENTS },
  )
  async stream(
    @PathParams() at: NamedPathDto,
    @Query() q: LogQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    await pipeLogAsSse(await this.logs.follow(at.clusterId, at.name, q, gone.signal), res);
  }

  @Get('download')
  @Log('The same log as a text/plain attachment (errors still come as the envelope)', {
    rawContentType: 'text/plain',
  })
  async download(
    @PathParams() at: NamedPathDto,
    @Query() q: LogQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const log = await this.logs.read(at.clusterId, at.name, q);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${at.name}_${log.container}${log.previous ? '_previous' : ''}.log"`,
    );
    if (log.truncated) res.setHeader('X-CloudPilot-Truncated', 'true');
    res.send(log.text);
  }
}
