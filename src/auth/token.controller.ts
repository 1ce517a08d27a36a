import { Body, Controller, Delete, Get, Post } from '@nestjs/common';
import { UuidParam } from '../common/route-params.decorator';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../common/api-endpoint.decorator';
import { CreatedTokenResponseDto, CreateTokenDto, TokenResponseDto } from './token.dto';
import { TokenService } from './token.service';
import { Caller } from '../common/caller.decorator';
import type { Principal } from '../common/request-context';

@ApiTags('auth')
@Controller('api/v1/auth/tokens')
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  @Post()
  @ApiEndpoint({
    summary: 'Create an API token (the token is shown only in this response)',
    role: 'admin',
    status: 201,
    response: CreatedTokenResponseDto,
    errors: ['VALIDATION_FAILED', 'CONFLICT'],
    access: 'global',
  })
  create(
    @Body() dto: CreateTokenDto,
    @Caller() caller: Principal,
  ): Promise<CreatedTokenResponseDto> {
    return this.tokens.create(dto, caller);
  }

  @Get()
  @ApiEndpoint({
    summary: 'List API tokens (never their values)',
    role: 'admin',
    response: TokenResponseDto,
    isArray: true,
    access: 'global',
  })
  list(): Promise<TokenResponseDto[]> {
    return this.tokens.list();
  }

  @Delete(':id')
  @ApiEndpoint({
    summary: 'Revoke an API token',
    role: 'admin',
    errors: ['NOT_FOUND', 'VALIDATION_FAILED'],
    access: 'global',
  })
  remove(@UuidParam() id: string): Promise<void> {
    return this.tokens.remove(id);
  }
}
