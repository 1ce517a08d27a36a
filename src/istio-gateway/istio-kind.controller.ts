import {
  Body,
  Controller,
  Delete,
  Get,
  Inject,
  Patch,
  Post,
  Put,
  Query,
  Type,
} from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { ClusterEndpoint } from '../common/api-endpoint.decorator';
import { ErrorCode } from '../common/error-codes';
import { ApiOpenBody } from '../common/openapi-bodies';
import { NamedPathDto } from '../common/object-path.dto';
import { ClusterIdParam, PathParams } from '../common/route-params.decorator';
import {
  IstioCreateQueryDto,
  IstioDeleteQueryDto,
  IstioWriteQueryDto,
  IstioWriteResultDto,
  ISTIO_BODIES,
  MeshListQueryDto,
  MeshObjectDto,
  MeshObjectListDto,
  MeshObjectQueryDto,
} from './istio-object.dto';
import { IstioObjectsService } from './istio-objects.service';
import { ISTIO_BODY_RULES } from './istio-body';
import { ISTIO_KINDS, MeshKind } from './mesh-kinds';

const READ: ErrorCode[] = ['ISTIO_NOT_INSTALLED', 'K8S_NOT_FOUND', 'K8S_THROTTLED'];
const WRITE: ErrorCode[] = [...READ, 'K8S_CONFLICT', 'K8S_INVALID'];
const dry = (q: { dryRun?: boolean }) => q.dryRun === true;
type RawObject = Record<string, unknown>;
const Read = ClusterEndpoint.with({ live: true, errors: READ });
const Write = ClusterEndpoint.with({
  access: 'namespaced',
  live: true,
  role: 'operator',
  response: IstioWriteResultDto,
  errors: WRITE,
});
const KEPT = 'fields beyond the typed ones are kept as sent';
// What creating needs beyond the kind's schema: a name (a replace takes it from the path).
const NAMED = { required: ['metadata'], properties: { metadata: { required: ['name'] } } };

const MergePatchBody = (kindName: string) =>
  ApiBody({
    description:
      `A JSON merge patch of the ${kindName} (application/merge-patch+json or application/json); ` +
      'metadata.resourceVersion makes it conditional',
    schema: { type: 'object' },
  });

/** `virtual-services` → `VirtualServices`: the kind's part of its controller's operationIds. */
const pascal = (segment: string) =>
  segment.replace(/(^|-)([a-z])/g, (_m, _dash, letter: string) => letter.toUpperCase());

/** The writes of one Istio kind, each documenting the kind's own body. */
function writeRoutes(kind: MeshKind) {
  const kindName = kind.descriptor.kind;
  const model = ISTIO_BODIES[kindName as keyof typeof ISTIO_BODIES];
  const object = `A ${kindName} (kind may be left out); ${KEPT}`;
  const rules = ISTIO_BODY_RULES[kindName];
  class IstioWrites {
    constructor(@Inject(IstioObjectsService) protected readonly objects: IstioObjectsService) {}

    @Post()
    @ApiOpenBody(model, `${object}; metadata.name is required`, NAMED, ...rules)
    @Write(`Create an Istio ${kindName} (dryRun=true: validate only, store nothing)`, {
      status: 201,
    })
    create(
      @ClusterIdParam() clusterId: string,
      @Query() q: IstioCreateQueryDto,
      @Body() body: RawObject,
    ): Promise<IstioWriteResultDto> {
      return this.objects.create(clusterId, kind, body, q.namespace, dry(q));
    }

    @Put(':name')
    @ApiOpenBody(model, `${object}; metadata.name, when given, must be the path's`, ...rules)
    @Write(
      `Replace an Istio ${kindName}; metadata.resourceVersion makes it conditional (409 if stale)`,
    )
    replace(
      @PathParams() at: NamedPathDto,
      @Query() q: IstioWriteQueryDto,
      @Body() body: RawObject,
    ): Promise<IstioWriteResultDto> {
      return this.objects.replace(at.clusterId, kind, at.name, body, q.namespace, dry(q));
    }

    @Patch(':name')
    @MergePatchBody(kindName)
    @Write(`Merge-patch an Istio ${kindName}; the patched result is validated before it is sent`)
    patch(
      @PathParams() at: NamedPathDto,
      @Query() q: IstioWriteQueryDto,
      @Body() body: RawObject,
    ): Promise<IstioWriteResultDto> {
      return this.objects.patch(at.clusterId, kind, at.name, body, q.namespace, dry(q));
    }

    @Delete(':name')
    @Write(
      `Delete an Istio ${kindName} (resourceVersion: only that version; dryRun=true: store nothing)`,
    )
    remove(
      @PathParams() at: NamedPathDto,
      @Query() q: IstioDeleteQueryDto,
    ): Promise<IstioWriteResultDto> {
      return this.objects.remove(at.clusterId, kind, at.name, q, dry(q));
    }
  }
  return IstioWrites;
}

/**
 * The routes of one Istio kind, under `istio/<segment>`: one operation per kind and method, so
 * each write documents its own kind's body (one operation for the three could only document a
 * union of them, and a client or a fuzzer could not tell which body a path takes). The reads
 * come first in the document, as the subclass's methods do.
 */
export function istioKindController(kind: MeshKind): Type<unknown> {
  const kindName = kind.descriptor.kind;

  @ApiTags('istio')
  @Controller(`api/v1/clusters/:clusterId/istio/${kind.segment}`)
  class IstioKindController extends writeRoutes(kind) {
    @Get()
    @Read(`List Istio ${kindName}s (namespace, labelSelector, paged)`, {
      access: 'cluster',
      response: MeshObjectListDto,
      errors: ['K8S_INVALID'],
    })
    list(
      @ClusterIdParam() clusterId: string,
      @Query() q: MeshListQueryDto,
    ): Promise<MeshObjectListDto> {
      return this.objects.list(clusterId, kind, q);
    }

    @Get(':name')
    @Read(`One Istio ${kindName} with its validation findings inline (validate=false skips them)`, {
      access: 'namespaced',
      response: MeshObjectDto,
    })
    get(@PathParams() at: NamedPathDto, @Query() q: MeshObjectQueryDto): Promise<MeshObjectDto> {
      return this.objects.get(at.clusterId, kind, at.name, q, true);
    }
  }
  // The document's operationIds are the class name's: IstioGateways_create, IstioVirtualServices_…
  Object.defineProperty(IstioKindController, 'name', {
    value: `Istio${pascal(kind.segment)}Controller`,
  });
  return IstioKindController;
}

/** One controller per Istio kind CloudPilot manages, from the one set of handlers above. */
export const ISTIO_KIND_CONTROLLERS = ISTIO_KINDS.map(istioKindController);
