import type { Principal } from '../../common/request-context';

/** Sessions and proposals belong to the API token that made them (the name when auth is off). */
export function ownerOf(principal: Principal): string {
  return principal.tokenId ?? `name:${principal.name}`;
}
