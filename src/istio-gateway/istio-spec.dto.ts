import { IsIntegerIn } from '../common/integer.decorator';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsStringMap } from './string-map.validator';
import { IsNested, IsOneOf } from '../common/dto-field.decorator';
import { MatchesDocumented } from '../common/documented-pattern.decorator';

/**
 * Typed views of the parts of Istio's API that CloudPilot validates before sending. They are
 * checked without whitelisting: fields they do not declare are kept and sent as given, because
 * Istio's API is larger than these classes (see istio-body.ts).
 */
const LABEL = '[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?';
/** `*`, `*.example.com`, `example.com`, a short name, or an IP. */
export const HOST = new RegExp(`^(\\*|(\\*\\.)?${LABEL}(\\.${LABEL})*)$`);
/** A Gateway server host: `[namespace/]host` where namespace is a name, `*`, `.` or `~`. */
export const GATEWAY_HOST = new RegExp(
  `^((\\*|\\.|~|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)/)?(\\*|(\\*\\.)?${LABEL}(\\.${LABEL})*)$`,
);
/** `mesh`, `name`, `namespace/name` or the legacy `name.namespace[.svc.cluster.local]`. */
export const GATEWAY_REF =
  /^(mesh|([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)$/;
export const SERVER_PROTOCOLS = [
  'HTTP',
  'HTTPS',
  'GRPC',
  'GRPC-WEB',
  'HTTP2',
  'MONGO',
  'TCP',
  'TLS',
];
export const SERVER_TLS_MODES = [
  'PASSTHROUGH',
  'SIMPLE',
  'MUTUAL',
  'AUTO_PASSTHROUGH',
  'ISTIO_MUTUAL',
  'OPTIONAL_MUTUAL',
];
/**
 * Any of `words` in any case, as a pattern a JSON schema can state (it has no `i` flag): each
 * letter a class of its two cases.
 */
export function anyCase(words: readonly string[]): RegExp {
  const letters = (word: string) =>
    [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c));
  return new RegExp(`^(${words.map((w) => letters(w).join('')).join('|')})$`);
}
const PROTOCOL = anyCase(SERVER_PROTOCOLS);
const hostMessage = {
  each: true,
  message: '$property must hold host names such as example.com, *.example.com or *',
};

export class PortDto {
  @IsIntegerIn(1, 65535)
  number: number;

  /** By convention `<protocol>[-suffix]`; ISTIO_GW_PORT_NAME_CONVENTION reports others. */
  @IsString()
  @Matches(/^\S{1,63}$/)
  name: string;

  /** HTTP, HTTPS, GRPC, GRPC-WEB, HTTP2, MONGO, TCP or TLS (any case). */
  @IsString()
  @MatchesDocumented(PROTOCOL, {
    message: `protocol must be one of ${SERVER_PROTOCOLS.join(', ')}`,
  })
  protocol: string;

  @IsIntegerIn(1, 65535, { optional: true })
  targetPort?: number;
}

export class ServerTlsDto {
  @IsOneOf(SERVER_TLS_MODES, { optional: true })
  mode?: string;

  /** Name of the TLS Secret, looked up in the namespace of the gateway pods. */
  @IsOptional()
  @IsString()
  @MaxLength(253)
  credentialName?: string;

  @IsOptional()
  @IsBoolean()
  httpsRedirect?: boolean;
}

export class ServerDto {
  @IsNested(() => PortDto)
  port: PortDto;

  /** `[namespace/]host`: the namespace part limits which VirtualServices may bind. */
  @IsArray()
  @ArrayMinSize(1)
  @MatchesDocumented(GATEWAY_HOST, {
    each: true,
    message: 'each host must be [namespace/]host, e.g. example.com, prod/*.example.com or */*',
  })
  hosts: string[];

  @IsNested(() => ServerTlsDto, { optional: true })
  tls?: ServerTlsDto;
}

export class GatewaySpecDto {
  /** Labels of the gateway pods this configuration applies to (any namespace by default). */
  @IsStringMap({ optional: true })
  selector?: Record<string, string>;

  @ArrayMinSize(1)
  @IsNested(() => ServerDto, { each: true })
  servers: ServerDto[];
}

export class DestinationPortDto {
  @IsIntegerIn(1, 65535)
  number: number;
}

export class DestinationDto {
  /** A Service (short names resolve in the VirtualService's namespace) or ServiceEntry host. */
  @IsString()
  @MatchesDocumented(HOST, {
    message:
      'host must be a host name such as reviews, reviews.prod.svc.cluster.local or api.example.com',
  })
  host: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/)
  subset?: string;

  @IsNested(() => DestinationPortDto, { optional: true })
  port?: DestinationPortDto;
}

export class RouteDestinationDto {
  @IsNested(() => DestinationDto)
  destination: DestinationDto;

  /** Share of traffic in percent; the weights of a route should add up to 100. */
  @IsIntegerIn(0, 100, { optional: true })
  weight?: number;
}

export class RouteDto {
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  match?: Record<string, unknown>[];

  @IsNested(() => RouteDestinationDto, { optional: true, each: true })
  route?: RouteDestinationDto[];
}

export class VirtualServiceSpecDto {
  @IsOptional()
  @IsArray()
  @MatchesDocumented(HOST, { ...hostMessage, optional: true })
  hosts?: string[];

  /** `mesh`, `name` (this namespace) or `namespace/name`. */
  @IsOptional()
  @IsArray()
  @MatchesDocumented(GATEWAY_REF, {
    each: true,
    optional: true,
    message: 'each gateway must be mesh, name or namespace/name',
  })
  gateways?: string[];

  @IsNested(() => RouteDto, { optional: true, each: true })
  http?: RouteDto[];

  @IsNested(() => RouteDto, { optional: true, each: true })
  tcp?: RouteDto[];

  @IsNested(() => RouteDto, { optional: true, each: true })
  tls?: RouteDto[];

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  exportTo?: string[];
}

export class LoadBalancerDto {
  @IsOneOf(['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST'], {
    optional: true,
  })
  simple?: string;
}

export class ClientTlsDto {
  @IsOneOf(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'], { optional: true })
  mode?: string;
}

export class TrafficPolicyDto {
  @IsNested(() => LoadBalancerDto, { optional: true })
  loadBalancer?: LoadBalancerDto;

  @IsOptional()
  @IsObject()
  connectionPool?: Record<string, unknown>;

  @IsOptional()
  @IsObject()
  outlierDetection?: Record<string, unknown>;

  @IsNested(() => ClientTlsDto, { optional: true })
  tls?: ClientTlsDto;
}

export class SubsetDto {
  @IsString()
  @Matches(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
    message: 'name must be 1-63 letters, digits, "-", "_" or "."',
  })
  name: string;

  @IsStringMap({ optional: true })
  labels?: Record<string, string>;

  @IsNested(() => TrafficPolicyDto, { optional: true })
  trafficPolicy?: TrafficPolicyDto;
}

export class DestinationRuleSpecDto {
  @IsString()
  @MatchesDocumented(HOST, {
    message:
      'host must be a host name such as reviews, reviews.prod.svc.cluster.local or *.example.com',
  })
  host: string;

  @IsNested(() => SubsetDto, { optional: true, each: true })
  subsets?: SubsetDto[];

  @IsNested(() => TrafficPolicyDto, { optional: true })
  trafficPolicy?: TrafficPolicyDto;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  exportTo?: string[];
}
