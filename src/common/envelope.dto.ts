import { ApiProperty, getSchemaPath } from '@nestjs/swagger';

/** OpenAPI description of the envelope; the runtime shape is built in envelope.ts. */
export class EnvelopeDto {
  @ApiProperty({ example: true })
  success: boolean;

  @ApiProperty({
    example: 'OK',
    description: 'OK on success, else a stable UPPER_SNAKE error code',
  })
  code: string;

  @ApiProperty({ example: 'OK' })
  message: string;

  @ApiProperty({
    example: '7f7a4c1e-0c38-4c8e-9d43-0a4f0e7f3f55',
    description: 'X-Request-Id of the request',
  })
  requestId: string;

  @ApiProperty({ example: '2026-11-25T12:00:00.000Z' })
  timestamp: string;
}

/** One invalid field of a VALIDATION_FAILED answer ("servers.0.port" for nested fields). */
export class FieldErrorDto {
  @ApiProperty({ example: 'labelSelector' })
  field: string;

  @ApiProperty({ type: [String], example: ['labelSelector is not a valid label selector'] })
  errors: string[];
}

export class ErrorEnvelopeDto extends EnvelopeDto {
  @ApiProperty({ example: false })
  declare success: boolean;

  @ApiProperty({ example: 'VALIDATION_FAILED' })
  declare code: string;

  @ApiProperty({
    type: Object,
    nullable: true,
    example: null,
    description: 'Always null on errors',
  })
  data: null;

  @ApiProperty({
    required: false,
    description:
      'VALIDATION_FAILED: one entry per invalid field. Other codes: an object (e.g. retryAfterSeconds), or absent',
    oneOf: [
      { type: 'array', items: { $ref: getSchemaPath(FieldErrorDto) } },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: FieldErrorDto[] | Record<string, unknown>;
}
