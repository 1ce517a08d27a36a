import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppError } from '../common/app-error';
import { NotificationDelivery } from './notification-delivery.entity';
import { NotificationEventRow } from './notification-event.entity';
import {
  DeliveryPageResponseDto,
  DeliveryQueryDto,
  DeliveryResponseDto,
} from './notifications.dto';

/** The event's columns in a raw row of the joined query. */
interface EventColumns {
  e_key: string;
  e_type: string;
}

/** The outbox as people see it: deliveries by status (dead letters included) and their retry. */
@Injectable()
export class DeliveriesService {
  constructor(
    @InjectRepository(NotificationDelivery)
    private readonly deliveries: Repository<NotificationDelivery>,
  ) {}

  async list(query: DeliveryQueryDto): Promise<DeliveryPageResponseDto> {
    const qb = this.withEvent();
    if (query.status) qb.andWhere('d.status = :status', { status: query.status });
    if (query.routeId) qb.andWhere('d.route_id = :routeId', { routeId: query.routeId });
    const total = await qb.getCount();
    const { entities, raw } = await qb
      .orderBy('d.id', 'DESC')
      .offset(query.offset)
      .limit(query.limit)
      .getRawAndEntities();
    const items = entities.map((d, i) => toResponse(d, raw[i]));
    return { items, total, limit: query.limit, offset: query.offset };
  }

  /** A dead (or waiting) delivery goes back to the queue now, with its tries counted afresh. */
  async retry(id: number): Promise<DeliveryResponseDto> {
    const row = await this.deliveries.findOneBy({ id });
    if (!row) throw new AppError('NOT_FOUND', `No delivery with id ${id}`);
    if (row.status === 'delivered')
      throw new AppError('CONFLICT', `Delivery ${id} was delivered; there is nothing to retry`);
    await this.deliveries.update(
      { id },
      { status: 'pending', attempts: 0, nextAttemptAt: new Date().toISOString() },
    );
    const { entities, raw } = await this.withEvent()
      .where('d.id = :id', { id })
      .getRawAndEntities();
    return toResponse(entities[0], raw[0]);
  }

  /** Deliveries with their event's key and type, which the list shows. */
  private withEvent() {
    return this.deliveries
      .createQueryBuilder('d')
      .innerJoin(NotificationEventRow, 'e', 'e.id = d.event_id')
      .addSelect(['e.key', 'e.type']);
  }
}

function toResponse(d: NotificationDelivery, event: EventColumns): DeliveryResponseDto {
  return {
    id: d.id,
    routeId: d.routeId,
    eventKey: event.e_key,
    eventType: event.e_type,
    subject: d.subject,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt,
    createdAt: d.createdAt,
  };
}
