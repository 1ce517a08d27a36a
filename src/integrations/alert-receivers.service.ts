import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { constantTimeEquals, issueToken, sha256Hex, splitToken } from '../auth/token-format';
import { AppError } from '../common/app-error';
import { AlertReceiver } from './alert-receiver.entity';
import { CreatedReceiverResponseDto, ReceiverResponseDto } from './alerts.dto';

const toResponse = (row: AlertReceiver): ReceiverResponseDto => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt,
});

/**
 * Receivers that may post alerts in, each with its own token. The token is scoped: it is no API
 * token (the bearer guard does not know it), it opens the alerts-in route and nothing else, and
 * revoking the receiver revokes it.
 */
@Injectable()
export class AlertReceiversService {
  constructor(
    @InjectRepository(AlertReceiver) private readonly receivers: Repository<AlertReceiver>,
  ) {}

  async create(name: string): Promise<CreatedReceiverResponseDto> {
    if (await this.receivers.existsBy({ name }))
      throw new AppError('CONFLICT', `A receiver named "${name}" already exists`);
    const issued = issueToken();
    const row = this.receivers.create({
      id: randomUUID(),
      name,
      publicId: issued.publicId,
      secretHash: issued.secretHash,
      createdAt: new Date().toISOString(),
    });
    await this.receivers.insert(row);
    return { ...toResponse(row), token: issued.token };
  }

  async list(): Promise<ReceiverResponseDto[]> {
    return (await this.receivers.find({ order: { createdAt: 'ASC' } })).map(toResponse);
  }

  async remove(id: string): Promise<void> {
    const result = await this.receivers.delete({ id });
    if (!result.affected) throw new AppError('NOT_FOUND', `No receiver with id ${id}`);
  }

  /** The receiver an Authorization header's bearer token belongs to, else UNAUTHENTICATED. */
  async authenticate(header: string | undefined): Promise<AlertReceiver> {
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const parts = match ? splitToken(match[1]) : null;
    const row = parts ? await this.receivers.findOneBy({ publicId: parts.publicId }) : null;
    if (!parts || !row || !constantTimeEquals(sha256Hex(parts.secret), row.secretHash))
      throw new AppError(
        'UNAUTHENTICATED',
        'Send the receiver token this route was configured with: Authorization: Bearer <token>',
      );
    return row;
  }
}
