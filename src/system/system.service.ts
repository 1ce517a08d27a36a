import { Injectable } from '@nestjs/common';
import { ConfigProvider } from '../config/config.provider';
import { APP_VERSION } from '../common/app-version';
import { SystemConfigResponseDto, SystemInfoResponseDto } from './system.dto';

@Injectable()
export class SystemService {
  private readonly startedAt = new Date().toISOString();

  constructor(private readonly configProvider: ConfigProvider) {}

  effectiveConfig(): SystemConfigResponseDto {
    return {
      mode: this.configProvider.mode,
      clusterSource: this.configProvider.describeClusterSource(),
      entries: this.configProvider.effective(),
    };
  }

  info(): SystemInfoResponseDto {
    return {
      version: APP_VERSION,
      mode: this.configProvider.mode,
      nodeVersion: process.version,
      startedAt: this.startedAt,
    };
  }
}
