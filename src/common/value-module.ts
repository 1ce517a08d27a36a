import type { DynamicModule, InjectionToken, Type } from '@nestjs/common';

/** A global module's forRoot: one value the composition root built, injectable everywhere by `token`. */
export function valueModule(module: Type, token: InjectionToken, value: unknown): DynamicModule {
  return { module, providers: [{ provide: token, useValue: value }], exports: [token] };
}
