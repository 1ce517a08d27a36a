import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClusterIdPipe } from '../cluster-registry/cluster-id.pipe';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { ValidationReportDto, ValidationsQueryDto } from './istio-object.dto';
import { MeshValidationService } from './mesh-validation.service';

/** Registered before IstioObjectsController so `validations` is not read as a `:kind`. */
@ApiTags('istio')
@Controller('api/v1/clusters/:clusterId/istio/validations')
export class ValidationsController {
  constructor(private readonly validation: MeshValidationService) {}

  @Get()
  @ApiEndpoint({
    summary:
      'Validation findings for Istio and Gateway API objects (docs/istio-validations.md); namespace narrows the report',
    response: ValidationReportDto,
    errors: [
      'VALIDATION_FAILED',
      'ISTIO_NOT_INSTALLED',
      'CLUSTER_NOT_FOUND',
      'CLUSTER_UNREACHABLE',
      'CLUSTER_TIMEOUT',
      'CLUSTER_AUTH_FAILED',
      'K8S_FORBIDDEN',
      'K8S_THROTTLED',
    ],
  })
  validate(
    @Param('clusterId', ClusterIdPipe) clusterId: string,
    @Query() q: ValidationsQueryDto,
  ): Promise<ValidationReportDto> {
    return this.validation.validate(clusterId, q.namespace);
  }
}
