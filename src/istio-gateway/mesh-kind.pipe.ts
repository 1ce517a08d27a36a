import { Injectable, PipeTransform } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { DocumentedParam } from '../common/route-params.decorator';
import { GATEWAY_API_KINDS, ISTIO_KINDS, MeshKind } from './mesh-kinds';

function pick(kinds: readonly MeshKind[], segment: string): MeshKind {
  const kind = kinds.find((k) => k.segment === segment);
  if (!kind)
    throw new AppError(
      'ROUTE_NOT_FOUND',
      `No route for "${segment}"; use one of ${kinds.map((k) => k.segment).join(', ')}`,
    );
  return kind;
}

/** `:kind` of the Istio routes: gateways, virtual-services or destination-rules. */
@Injectable()
export class IstioKindPipe implements PipeTransform<string, MeshKind> {
  transform(value: string): MeshKind {
    return pick(ISTIO_KINDS, value);
  }
}

/** `:kind` of the Gateway API routes: gateways or http-routes. */
@Injectable()
export class GatewayApiKindPipe implements PipeTransform<string, MeshKind> {
  transform(value: string): MeshKind {
    return pick(GATEWAY_API_KINDS, value);
  }
}

const kindParam = (pipe: PipeTransform<string, MeshKind>, kinds: readonly MeshKind[]) =>
  DocumentedParam('kind', pipe, { type: 'string', enum: kinds.map((k) => k.segment) });

/** `:kind` of an Istio route, taken and documented as its closed set. */
export const IstioKindParam = () => kindParam(new IstioKindPipe(), ISTIO_KINDS);

/** `:kind` of a Gateway API route, taken and documented as its closed set. */
export const GatewayApiKindParam = () => kindParam(new GatewayApiKindPipe(), GATEWAY_API_KINDS);
