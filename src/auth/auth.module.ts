import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiToken } from './api-token.entity';
import { TokenController } from './token.controller';
import { WhoAmIController } from './whoami.controller';
import { TokenService } from './token.service';

@Module({
  imports: [TypeOrmModule.forFeature([ApiToken])],
  controllers: [TokenController, WhoAmIController],
  providers: [TokenService],
  exports: [TokenService],
})
export class AuthModule {}
