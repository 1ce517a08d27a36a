import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { FindOptionsWhere, MoreThanOrEqual, Repository } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';
import { AuditPageResponseDto, AuditQueryDto } from './audit.dto';

export type AuditRecord = Omit<AuditEntry, 'id' | 'at'>;

@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  /** Never throws: a failed audit write is logged loudly but cannot turn a done action into an error. */
  async record(record: AuditRecord): Promise<void> {
    try {
      await this.entries.insert({ ...record, id: randomUUID(), at: new Date().toISOString() });
    } catch (error) {
      this.logger.error({ err: error, requestId: record.requestId }, 'audit write failed');
    }
  }

  async list(query: AuditQueryDto): Promise<AuditPageResponseDto> {
    const where: FindOptionsWhere<AuditEntry> = {};
    if (query.actor) where.actor = query.actor;
    if (query.method) where.method = query.method;
    if (query.resultCode) where.resultCode = query.resultCode;
    if (query.since) where.at = MoreThanOrEqual(new Date(query.since).toISOString());
    const [items, total] = await this.entries.findAndCount({
      where,
      order: { at: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items, total, limit: query.limit, offset: query.offset };
  }
}
