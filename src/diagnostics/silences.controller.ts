import { Body, Controller, Delete, Get, Post, Query } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ClusterIdParam, UuidParam } from '../common/route-params.decorator';
import {
  CREATE_SILENCE_BODY,
  CreateSilenceDto,
  SilenceDto,
  SilencePageDto,
  SilenceQueryDto,
} from './silences.dto';
import { SilencesService } from './silences.service';

// Silences match across namespaces (a matcher without a namespace covers all of them), so they
// are a whole-cluster matter: a namespace-scoped grant neither lists nor sets them.
const Operator = ClusterEndpoint.with({ access: 'cluster-wide', role: 'operator' });

/**
 * Silences of a cluster's findings (docs/diagnostics.md#silences). Registered before the
 * diagnostics controller, whose `:findingId` route would otherwise take `silences` for an id.
 */
@ApiTags('diagnostics')
@ApiExtraModels(CreateSilenceDto)
@Controller('api/v1/clusters/:clusterId/diagnostics/silences')
export class SilencesController {
  constructor(private readonly silences: SilencesService) {}

  @Post()
  @Operator(
    'Silence findings (matchers on code, namespace, kind, name pattern, labels) until an expiry (expiresAt, or durationSeconds from now)',
    { status: 201, response: SilenceDto },
  )
  @ApiBody({ schema: CREATE_SILENCE_BODY() })
  create(@ClusterIdParam() clusterId: string, @Body() dto: CreateSilenceDto): Promise<SilenceDto> {
    return this.silences.create(clusterId, dto);
  }

  @Get()
  @ClusterEndpoint({
    access: 'cluster-wide',
    summary: "A cluster's silences: in force (default), expired or all, newest first",
    response: SilencePageDto,
  })
  list(@ClusterIdParam() clusterId: string, @Query() q: SilenceQueryDto): Promise<SilencePageDto> {
    return this.silences.list(clusterId, q);
  }

  @Post(':silenceId/expire')
  @Operator('End a silence now; it stays listed as expired', {
    response: SilenceDto,
    errors: ['SILENCE_NOT_FOUND'],
  })
  expire(
    @ClusterIdParam() clusterId: string,
    @UuidParam('silenceId') silenceId: string,
  ): Promise<SilenceDto> {
    return this.silences.expire(clusterId, silenceId);
  }

  @Delete(':silenceId')
  @Operator('Delete a silence', { errors: ['SILENCE_NOT_FOUND'] })
  remove(
    @ClusterIdParam() clusterId: string,
    @UuidParam('silenceId') silenceId: string,
  ): Promise<void> {
    return this.silences.remove(clusterId, silenceId);
  }
}
