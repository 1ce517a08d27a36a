import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { AppError } from '../common/app-error';
import { ConfigProvider } from '../config/config.provider';
import { OutboundHttp } from '../outbound/outbound-http';
import { NotificationDelivery } from './notification-delivery.entity';
import { NotificationRoute } from './notification-route.entity';
import { CreateRouteDto, RouteResponseDto } from './notifications.dto';
import { RouteCipher } from './route-cipher';
import type { RouteMatch } from './route-match';

/** Notification routes: created with their target checked and sealed, listed without secrets. */
@Injectable()
export class NotificationRoutesService {
  private readonly http: OutboundHttp;

  constructor(
    @InjectRepository(NotificationRoute) private readonly routes: Repository<NotificationRoute>,
    @InjectRepository(NotificationDelivery)
    private readonly deliveries: Repository<NotificationDelivery>,
    private readonly cipher: RouteCipher,
    configProvider: ConfigProvider,
  ) {
    this.http = new OutboundHttp({
      allowLoopback: configProvider.config.notifications.allowLoopbackTargets,
    });
  }

  async create(dto: CreateRouteDto): Promise<RouteResponseDto> {
    this.http.check(dto.target.url);
    if (await this.routes.existsBy({ name: dto.name }))
      throw new AppError('CONFLICT', `A notification route named "${dto.name}" already exists`);
    const id = randomUUID();
    const { sealed, keyId } = this.cipher.seal(id, {
      url: dto.target.url,
      ...(dto.target.secret ? { secret: dto.target.secret } : {}),
    });
    const row = this.routes.create({
      id,
      name: dto.name,
      targetType: dto.target.type,
      mode: dto.target.type === 'cloudevents' ? (dto.target.mode ?? 'structured') : '',
      match: JSON.stringify(dto.match ?? {}),
      sealed,
      keyId,
      groupWaitSeconds: dto.groupWaitSeconds ?? 0,
      repeatIntervalSeconds: dto.repeatIntervalSeconds ?? 0,
      ratePerMinute: dto.ratePerMinute ?? 0,
      createdAt: new Date().toISOString(),
    });
    await this.routes.insert(row);
    return this.toResponse(row);
  }

  async list(): Promise<RouteResponseDto[]> {
    const rows = await this.routes.find({ order: { createdAt: 'ASC' } });
    return rows.map((row) => this.toResponse(row));
  }

  async get(id: string): Promise<RouteResponseDto> {
    return this.toResponse(await this.row(id));
  }

  /** The route and the deliveries still waiting for it: nothing is sent to a removed target. */
  async remove(id: string): Promise<void> {
    await this.row(id);
    await this.routes.manager.transaction(async (tx) => {
      await tx.delete(NotificationDelivery, { routeId: id, status: 'pending' });
      await tx.delete(NotificationRoute, { id });
    });
  }

  private async row(id: string): Promise<NotificationRoute> {
    const row = await this.routes.findOneBy({ id });
    if (!row) throw new AppError('NOT_FOUND', `No notification route with id ${id}`);
    return row;
  }

  private toResponse(row: NotificationRoute): RouteResponseDto {
    const target = this.cipher.open(row.id, row.sealed);
    return {
      id: row.id,
      name: row.name,
      target: {
        type: row.targetType,
        mode: row.mode,
        host: new URL(target.url).host,
        signed: Boolean(target.secret),
      },
      match: JSON.parse(row.match) as RouteMatch,
      groupWaitSeconds: row.groupWaitSeconds,
      repeatIntervalSeconds: row.repeatIntervalSeconds,
      ratePerMinute: row.ratePerMinute,
      createdAt: row.createdAt,
    };
  }
}
