import { Injectable, PipeTransform } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { DocumentedParam } from '../common/route-params.decorator';
import { GATEWAY_API_KINDS, MeshKind } from './mesh-kinds';

/** `:kind` of the Gateway API routes: gateways or http-routes. */
@Injectable()
export class GatewayApiKindPipe implements PipeTransform<string, MeshKind> {
  transform(segment: string): MeshKind {
    const kind = GATEWAY_API_KINDS.find((k) => k.segment === segment);
    if (!kind)
      throw new AppError(
        'ROUTE_NOT_FOUND',
        `No route for "${segment}"; use one of ${GATEWAY_API_KINDS.map((k) => k.segment).join(', ')}`,
      );
    return kind;
  }
}

/** `:kind` of a Gateway API route, taken and documented as its closed set. */
export const GatewayApiKindParam = () =>
  DocumentedParam('kind', new GatewayApiKindPipe(), {
    type: 'string',
    enum: GATEWAY_API_KINDS.map((k) => k.segment),
  });
