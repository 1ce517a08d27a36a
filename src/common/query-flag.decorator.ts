import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/**
 * An optional boolean query flag: `true` or `false` in the URL, a real boolean in the DTO and a
 * boolean in the document. Anything else stays a string and is refused by IsBoolean.
 */
export const IsQueryFlag = () =>
  applyDecorators(
    IsOptional(),
    Transform(({ value }: { value: unknown }) =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
    IsBoolean({ message: ({ property }) => `${property} must be true or false` }),
    ApiProperty({ required: false, type: Boolean }),
  );
