import { IsIn, IsOptional, IsString } from 'class-validator';
import { AppError } from './app-error';
import { DiscriminatedBodyPipe } from './discriminated-body';

class CatDto {
  @IsIn(['cat'])
  type: 'cat';

  @IsString()
  purr: string;
}

class DogDto {
  @IsIn(['dog'])
  type: 'dog';

  @IsOptional()
  @IsString()
  bark?: string;
}

const pipe = new DiscriminatedBodyPipe({ tag: 'type', variants: { cat: CatDto, dog: DogDto } });

async function refusal(body: unknown): Promise<unknown> {
  try {
    await pipe.transform(body);
  } catch (error) {
    return error instanceof AppError ? [error.code, error.details] : error;
  }
  return 'accepted';
}

describe('a body read by the DTO its tag names', () => {
  it('validates with that DTO and returns an instance of it', async () => {
    await expect(pipe.transform({ type: 'cat', purr: 'rr' })).resolves.toBeInstanceOf(CatDto);
    await expect(pipe.transform({ type: 'dog' })).resolves.toBeInstanceOf(DogDto);
  });

  it("refuses another variant's fields, a missing field and an unknown or absent tag as VALIDATION_FAILED", async () => {
    const fieldsOf = async (body: unknown) => {
      const found = (await refusal(body)) as [string, Array<{ field: string }>];
      return [found[0], found[1].map((d) => d.field)];
    };
    await expect(fieldsOf({ type: 'dog', purr: 'rr' })).resolves.toEqual([
      'VALIDATION_FAILED',
      ['purr'],
    ]);
    await expect(fieldsOf({ type: 'cat' })).resolves.toEqual(['VALIDATION_FAILED', ['purr']]);
    for (const body of [{ type: 'cow' }, { type: 'constructor' }, {}, [1], null, 'cat'])
      await expect(fieldsOf(body)).resolves.toEqual(['VALIDATION_FAILED', ['type']]);
  });
});
