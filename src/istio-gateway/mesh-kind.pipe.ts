import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { AppError } from '../common/app-error';
import { CLUSTER_REF_RULE, OBJECT_NAME_RULE } from '../common/input-vocabulary';
import { PathField, PathParams } from '../common/route-params.decorator';
import { GATEWAY_API_KINDS, MeshKind } from './mesh-kinds';

function pick(kinds: readonly MeshKind[], segment: string): MeshKind {
  const kind = kinds.find((k) => k.segment === segment);
  if (!kind)
    throw new AppError(
      'ROUTE_NOT_FOUND',
      `No route for "${segment}"; use one of ${kinds.map((k) => k.segment).join(', ')}`,
    );
  return kind;
}

// The path of the mesh routes, taken whole with MeshPath(). kind carries no Swagger property: it is
// documented by MeshPath as its closed set, after the query, where the single-parameter decorators
// put it. Fields carry no comments, which the Swagger plugin would add to the parameters.

/** `:clusterId/…/:kind`: the objects of one mesh kind. */
export class MeshKindPath {
  @PathField(CLUSTER_REF_RULE)
  clusterId: string;

  // Checked by MeshKindPipe, after validation: an unknown kind is a route that does not exist.
  @Allow()
  kind: MeshKind;
}

/** `:clusterId/…/:kind/:name`: one object of a mesh kind. */
export class MeshObjectPath extends MeshKindPath {
  @PathField(OBJECT_NAME_RULE)
  name: string;
}

/** The path's `:kind` segment resolved to its MeshKind: 404 ROUTE_NOT_FOUND outside `kinds`. */
@Injectable()
export class MeshKindPipe implements PipeTransform<MeshKindPath, MeshKindPath> {
  constructor(private readonly kinds: readonly MeshKind[]) {}

  transform(path: MeshKindPath): MeshKindPath {
    return Object.assign(path, { kind: pick(this.kinds, path.kind as unknown as string) });
  }
}

/** The path of a route over `kinds`: its fields checked and documented, its kind resolved. */
function MeshPath(kinds: readonly MeshKind[]): ParameterDecorator {
  const kindSchema = { type: 'string', enum: kinds.map((k) => k.segment) };
  return (target, key, index) => {
    PathParams(new MeshKindPipe(kinds))(target, key, index);
    const descriptor = Reflect.getOwnPropertyDescriptor(target, key!)!;
    ApiParam({ name: 'kind', required: true, schema: kindSchema })(target, key!, descriptor);
  };
}

/** The path of a Gateway API route (kind: gateways or http-routes). */
export const GatewayApiPath = () => MeshPath(GATEWAY_API_KINDS);
