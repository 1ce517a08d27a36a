import { Body, Controller, Delete, Get, Post } from '@nestjs/common';
import { UuidParam } from '../common/route-params.decorator';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { CreatedTokenResponseDto, CreateTokenDto, TokenResponseDto } from './token.dto';
import { TokenService } from './token.service';
import { Caller } from '../common/caller.decorator';
import type { Principal } from '../common/request-context';

const Admin = ApiEndpoint.with({ access: 'global', role: 'admin' });

@ApiTags('auth')
@Controller('api/v1/auth/tokens')
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  @Post()
  @Admin('Create an API token (the token is shown only in this response)', {
    status: 201,
    response: CreatedTokenResponseDto,
    errors: ['VALIDATION_FAILED', 'CONFLICT'],
  })
  create(
    @Body() dto: CreateTokenDto,
    @Caller() caller: Principal,
  ): Promise<CreatedTokenResponseDto> {
    return this.tokens.create(dto, caller);
  }

  @Get()
  @Admin('List API tokens (never their values)', { response: TokenResponseDto, isArray: true })
  list(): Promise<TokenResponseDto[]> {
    return this.tokens.list();
  }

  @Delete(':id')
  @Admin('Revoke an API token', { errors: ['NOT_FOUND', 'VALIDATION_FAILED'] })
  remove(@UuidParam() id: string): Promise<void> {
    return this.tokens.remove(id);
  }
}
