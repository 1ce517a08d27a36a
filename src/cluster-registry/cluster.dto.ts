import { BASE64_TEXT, DNS_LABEL_RULE } from '../common/input-vocabulary';
import { FollowsRule } from '../common/k8s-validators';
import { MatchesDocumented } from '../common/documented-pattern.decorator';
import { IsQueryFlag } from '../common/query-flag.decorator';
import { OmitType, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsNested, IsOptionalNotNull } from '../common/dto-field.decorator';

/** The connection of a cluster given field by field instead of as a kubeconfig. */
export class ClusterCredentialsDto {
  /** https URL of the API server. */
  @IsString()
  @MaxLength(2048)
  server: string;

  /** Bearer token (ServiceAccount token or similar). Give either this or a client certificate. */
  @IsOptional()
  @IsString()
  @MaxLength(16384)
  token?: string;

  /** Base64 PEM of the CA that signed the API server's certificate. */
  @IsOptional()
  @MatchesDocumented(BASE64_TEXT, { optional: true })
  @MaxLength(65536)
  caData?: string;

  /** Base64 PEM client certificate (with clientKeyData). */
  @IsOptional()
  @MatchesDocumented(BASE64_TEXT, { optional: true })
  @MaxLength(65536)
  clientCertificateData?: string;

  /** Base64 PEM client key (with clientCertificateData). */
  @IsOptional()
  @MatchesDocumented(BASE64_TEXT, { optional: true })
  @MaxLength(65536)
  clientKeyData?: string;

  @IsOptional()
  @IsString()
  @MaxLength(253)
  tlsServerName?: string;
}

export class CreateClusterDto {
  /** Unique DNS-1123 label; usable in URLs instead of the id. */
  @FollowsRule(DNS_LABEL_RULE)
  name: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  displayName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1024)
  description?: string;

  /** String labels for grouping clusters (env=prod, region=eu…); null is not accepted. */
  @IsOptionalNotNull()
  @IsObject()
  labels?: Record<string, string>;

  /** Kubeconfig text. Only inline data is accepted: no exec plugins, auth providers or file paths. */
  @IsOptional()
  @IsString()
  @MaxLength(1048576)
  kubeconfig?: string;

  /** Context of the kubeconfig to use; default its current-context. */
  @IsOptional()
  @IsString()
  @MaxLength(253)
  context?: string;

  /** The connection field by field, instead of a kubeconfig. */
  @IsNested(() => ClusterCredentialsDto, { optional: true })
  credentials?: ClusterCredentialsDto;

  /** Make this the default cluster. */
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

/** Any of the registration fields except the name; a kubeconfig or credentials replace the connection. */
// PartialType makes every field IsOptional, which lets null through: labels keep their own rule.
export class UpdateClusterDto extends PartialType(
  OmitType(CreateClusterDto, ['name', 'isDefault', 'labels'] as const),
) {
  /** String labels for grouping clusters (env=prod, region=eu…); null is not accepted. */
  @IsOptionalNotNull()
  @IsObject()
  labels?: Record<string, string>;
}

export class ImportKubeconfigDto {
  /** Kubeconfig text; every context (or those listed) becomes one cluster named after its context. */
  @IsString()
  @MaxLength(1048576)
  kubeconfig: string;

  /** Contexts to import; default all. */
  @IsOptional()
  @IsString({ each: true })
  contexts?: string[];
}

export class RegisterQueryDto {
  /** Store without testing the connection first (status stays unknown). */
  @IsQueryFlag()
  skipTest?: boolean;
}

export class ClusterStatusDto {
  /** unknown (never tested), connected, or error (see errorCode). */
  state: 'unknown' | 'connected' | 'error';
  kubernetesVersion: string | null;
  checkedAt: string | null;
  errorCode: string | null;
}

export class ClusterResponseDto {
  id: string;
  name: string;
  displayName: string;
  description: string;
  labels: Record<string, string>;
  server: string;
  /** token, clientCertificate or inCluster: never the credential itself. */
  authType: string;
  isDefault: boolean;
  status: ClusterStatusDto;
  createdAt: string;
  updatedAt: string;
}

export class ClusterTestResponseDto {
  reachable: boolean;
  kubernetesVersion: string;
  platform: string;
  /** What CloudPilot may do in this cluster, per feature, from SelfSubjectAccessReviews. */
  permissions: Record<string, boolean>;
  checkedAt: string;
}
