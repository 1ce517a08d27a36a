import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import { MatchesDocumented } from './documented-pattern.decorator';
import { BASE64_TEXT } from './input-vocabulary';

// Where @nestjs/swagger keeps a property's ApiProperty options (its DECORATORS.API_MODEL_PROPERTIES).
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';
const ENTRY = /^(\*|[a-z]{1,8})$/;

class Sample {
  @IsOptional()
  @MatchesDocumented(BASE64_TEXT, { optional: true })
  caData?: string;

  @MatchesDocumented(ENTRY, { each: true, message: 'each entry must be a word or "*"' })
  entries: string[];
}

const problems = (plain: object) =>
  validateSync(plainToInstance(Sample, plain)).flatMap((e) => Object.values(e.constraints ?? {}));
const documented = (field: keyof Sample) =>
  Reflect.getMetadata(API_MODEL_PROPERTIES, Sample.prototype, field) as Record<string, unknown>;

describe('MatchesDocumented', () => {
  it('refuses what its pattern refuses, with the message given', () => {
    expect(problems({ caData: 'TUlJQg==\n', entries: ['*', 'web'] })).toEqual([]);
    expect(problems({ caData: 'not base64!', entries: ['web'] })).toEqual([
      'caData must match /^[A-Za-z0-9+/=\\s]+$/ regular expression',
    ]);
    expect(problems({ entries: ['web', 'Web'] })).toEqual(['each entry must be a word or "*"']);
  });

  it('states the same pattern, requiredness and array-ness in the OpenAPI document', () => {
    expect(documented('caData')).toMatchObject({
      required: false,
      type: String,
      pattern: BASE64_TEXT.source,
    });
    expect(documented('entries')).toMatchObject({ required: true, pattern: ENTRY.source });
    expect(documented('entries').isArray).toBe(true);
  });
});
