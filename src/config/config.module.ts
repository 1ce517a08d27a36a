import { DynamicModule, Global, Module } from '@nestjs/common';
import { valueModule } from '../common/value-module';
import { ConfigProvider } from './config.provider';

/** Makes the ConfigProvider chosen by AppModule.forRoot(mode) injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(provider: ConfigProvider): DynamicModule {
    return valueModule(ConfigModule, ConfigProvider, provider);
  }
}
