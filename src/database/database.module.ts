import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigProvider } from '../config/config.provider';
import { dataSourceOptions } from './database-options';

/** The one adapter to the database: TypeORM over better-sqlite3 or PostgreSQL, migrated at start-up. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigProvider],
      useFactory: (provider: ConfigProvider) => ({
        ...dataSourceOptions(provider.config.database.url),
        retryAttempts: 0,
      }),
    }),
  ],
})
export class DatabaseModule {}
