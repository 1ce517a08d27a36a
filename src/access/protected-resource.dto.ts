/** RFC 9728 §2: field names are the specification's. */
export class ProtectedResourceMetadataDto {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: string[];
  resource_name: string;
}
