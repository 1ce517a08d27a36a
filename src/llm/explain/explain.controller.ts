import { Controller, Headers, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../../common/api-endpoint.decorator';
import { ExplainQueryDto, ExplanationDto } from '../llm.dto';
import { languageOf } from '../sessions/session.service';
import { FindingIdPipe } from '../../diagnostics/finding-id.pipe';
import { ExplainService } from './explain.service';
import { EXPLAINABLE_FINDING_ID_RULE, ruleSchema } from '../../common/input-vocabulary';
import { ClusterIdParam, DocumentedParam } from '../../common/route-params.decorator';

@ApiTags('llm')
@Controller('api/v1/clusters/:clusterId/diagnostics/:findingId/explain')
export class ExplainController {
  constructor(private readonly explainer: ExplainService) {}

  @Post()
  @ClusterEndpoint({
    access: 'cluster-wide',
    summary: 'Explain a finding: cause, evidence and fix, in zh or en (cached per finding version)',
    response: ExplanationDto,
    errors: [
      'NOT_FOUND',
      'ISTIO_NOT_INSTALLED',
      'LLM_NOT_CONFIGURED',
      'LLM_PROVIDER_ERROR',
      'LLM_TIMEOUT',
      'LLM_RATE_LIMITED',
    ],
  })
  explain(
    @ClusterIdParam() clusterId: string,
    @DocumentedParam(
      'findingId',
      new FindingIdPipe({ meshIds: true }),
      ruleSchema(EXPLAINABLE_FINDING_ID_RULE),
    )
    findingId: string,
    @Query() q: ExplainQueryDto,
    @Headers('accept-language') lang?: string,
  ): Promise<ExplanationDto> {
    return this.explainer.explain(clusterId, findingId, q.language ?? languageOf(lang), q.provider);
  }
}
