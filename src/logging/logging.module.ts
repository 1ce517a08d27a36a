import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger as Pino } from 'pino';
import { valueModule } from '../common/value-module';

/** Injection token of the process's pino instance. */
export const PINO = Symbol('PINO');

@Global()
@Module({})
export class LoggingModule {
  static forRoot(pino: Pino): DynamicModule {
    return valueModule(LoggingModule, PINO, pino);
  }
}
