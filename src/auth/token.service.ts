import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { AppError } from '../common/app-error';
import { AccessScope, everywhere, Grant } from '../common/access-grants';
import { adminEverywhere, Principal } from '../common/request-context';
import { roleSatisfies } from '../common/roles';
import { ConfigProvider } from '../config/config.provider';
import { ApiToken } from './api-token.entity';
import { CreatedTokenResponseDto, CreateTokenDto, TokenResponseDto } from './token.dto';
import { RecentTokens } from './recent-tokens';
import {
  constantTimeEquals,
  digestOf,
  issueToken,
  matchesDigest,
  sha256Hex,
  splitToken,
} from './token-format';

const LAST_USED_RESOLUTION_MS = 60_000;
const BOOTSTRAP_TOKEN_NAME = 'bootstrap-admin';

const ENV_ADMIN = adminEverywhere('env-admin', 'token');

@Injectable()
export class TokenService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TokenService.name);
  private readonly recent = new RecentTokens<AccessScope>();
  private readonly adminDigest: Buffer | undefined;

  constructor(
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    private readonly configProvider: ConfigProvider,
  ) {
    const { adminToken } = configProvider.config.auth;
    this.adminDigest = adminToken ? digestOf(adminToken) : undefined;
  }

  /** First start on an empty database without CLOUDPILOT_ADMIN_TOKEN: mint an admin token and show it once. */
  async onApplicationBootstrap(): Promise<void> {
    const { auth } = this.configProvider.config;
    if (auth.mode === 'none' || auth.adminToken || (await this.tokens.count()) > 0) return;
    const created = await this.create({ name: BOOTSTRAP_TOKEN_NAME, role: 'admin' }, null);
    // Written to stderr outside the JSON log on purpose: the log pipeline must never carry a token.
    process.stderr.write(
      `\n=== CloudPilot generated the first admin token. It is shown only once; store it now. ===\n${created.token}\n\n`,
    );
    this.logger.warn(
      { tokenId: created.id },
      'generated the bootstrap admin token (printed once on stderr)',
    );
  }

  /** `minter` null: the server itself (the bootstrap token); anyone else mints within their grants. */
  async create(dto: CreateTokenDto, minter: Principal | null): Promise<CreatedTokenResponseDto> {
    const grants = grantsOf(dto);
    if (minter && !minter.scope.covers(grants))
      throw new AppError(
        'FORBIDDEN',
        'A token cannot have grants beyond those of the caller who mints it',
      );
    if (await this.tokens.existsBy({ name: dto.name }))
      throw new AppError('CONFLICT', `A token named "${dto.name}" already exists`);
    const issued = issueToken();
    const now = new Date();
    const row = this.tokens.create({
      id: randomUUID(),
      name: dto.name,
      role: dto.role,
      grants: dto.grants ? JSON.stringify(grants) : null,
      publicId: issued.publicId,
      secretHash: issued.secretHash,
      createdAt: now.toISOString(),
      expiresAt: dto.expiresInDays
        ? new Date(now.getTime() + dto.expiresInDays * 86_400_000).toISOString()
        : null,
      lastUsedAt: null,
    });
    await this.tokens.insert(row);
    return { ...toResponse(row), token: issued.token };
  }

  async list(): Promise<TokenResponseDto[]> {
    const rows = await this.tokens.find({ order: { createdAt: 'ASC' } });
    return rows.map(toResponse);
  }

  async remove(id: string): Promise<void> {
    const result = await this.tokens.delete({ id });
    this.recent.forget(id);
    if (!result.affected) throw new AppError('NOT_FOUND', `No token with id ${id}`);
  }

  /** Resolves a presented bearer token to a principal, or null when it is unknown, wrong or expired. */
  async authenticate(presented: string): Promise<Principal | null> {
    if (this.adminDigest && matchesDigest(presented, this.adminDigest)) return ENV_ADMIN;
    const parts = splitToken(presented);
    if (!parts) return null;
    const now = Date.now();
    const found = this.recent.get(parts.publicId, now) ?? (await this.read(parts.publicId, now));
    if (!found) return null;
    const { row, derived: scope } = found;
    if (!constantTimeEquals(sha256Hex(parts.secret), row.secretHash)) return null;
    if (row.expiresAt && Date.parse(row.expiresAt) <= now) return null;
    if (!row.lastUsedAt || now - Date.parse(row.lastUsedAt) > LAST_USED_RESOLUTION_MS) {
      row.lastUsedAt = new Date(now).toISOString();
      await this.tokens.update({ id: row.id }, { lastUsedAt: row.lastUsedAt });
    }
    return { name: row.name, role: scope.maxRole, tokenId: row.id, kind: 'token', scope };
  }

  /** The row and its compiled grants, kept for TOKEN_REUSE_MS (a revocation elsewhere waits that long). */
  private async read(publicId: string, now: number) {
    const row = await this.tokens.findOneBy({ publicId });
    if (!row) return undefined;
    const scope = new AccessScope(storedGrants(row));
    this.recent.set(row, scope, now);
    return { row, derived: scope };
  }
}

/** The grants a new token gets; none of them above the token's own role. */
function grantsOf(dto: CreateTokenDto): Grant[] {
  if (!dto.grants) return everywhere(dto.role);
  const above = dto.grants.find((g) => !roleSatisfies(dto.role, g.role));
  if (above)
    throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
      { field: 'grants', errors: [`a grant's role (${above.role}) exceeds the token's role`] },
    ]);
  return dto.grants.map((g) => ({ ...g }));
}

function storedGrants(row: ApiToken): Grant[] {
  return row.grants ? (JSON.parse(row.grants) as Grant[]) : everywhere(row.role);
}

function toResponse(row: ApiToken): TokenResponseDto {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    grants: storedGrants(row),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
  };
}
