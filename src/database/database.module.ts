import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConfigProvider } from '../config/config.provider';
import { dataSourceOptions, Entities } from './database-options';
import { serializeTransactionsOnSqlite } from './serial-transactions';

/** The one adapter to the database: TypeORM over better-sqlite3 or PostgreSQL, migrated at start-up. */
@Module({})
export class DatabaseModule {
  /** The entities come from the composition root, which alone may import every feature. */
  static forRoot(entities: Entities): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigProvider],
          useFactory: (provider: ConfigProvider) => ({
            ...dataSourceOptions(provider.config.database.url, entities),
            retryAttempts: 0,
          }),
          dataSourceFactory: async (options) =>
            serializeTransactionsOnSqlite(await new DataSource(options!).initialize()),
        }),
      ],
    };
  }
}
