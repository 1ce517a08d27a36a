import {
  CLUSTER_REF_RULE,
  FINDING_ID_RULE,
  KIND_REF_RULE,
  OBJECT_NAME_RULE,
} from './input-vocabulary';
import { PathField } from './route-params.decorator';

// The path of the routes on Kubernetes objects, taken whole with PathParams(). Their fields carry
// no comments: the Swagger plugin would add them to the parameters, which RuleParam never did.

/** `:clusterId/…/:name`: one object of the kind the path names (a pod, a node). */
export class NamedPathDto {
  @PathField(CLUSTER_REF_RULE)
  clusterId: string;

  @PathField(OBJECT_NAME_RULE)
  name: string;
}

/** `:clusterId/…/:kind`: the objects of one kind (a plural, a kind or plural.group). */
export class KindPathDto {
  @PathField(CLUSTER_REF_RULE)
  clusterId: string;

  @PathField(KIND_REF_RULE)
  kind: string;
}

/** `:clusterId/…/:kind/:name`: one object of any kind. */
export class ObjectPathDto extends KindPathDto {
  @PathField(OBJECT_NAME_RULE)
  name: string;
}

/** `:clusterId/…/:findingId`: one diagnostics finding of a cluster. */
export class FindingPathDto {
  @PathField(CLUSTER_REF_RULE)
  clusterId: string;

  @PathField(FINDING_ID_RULE)
  findingId: string;
}
