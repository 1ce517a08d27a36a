import { PipeTransform } from '@nestjs/common';
import { AppError } from './app-error';
import { InputRule, ruleProblem } from './input-vocabulary';

/** A path or query value held to a rule of the input vocabulary: a 400 naming the field otherwise. */
export class InputRulePipe implements PipeTransform<unknown, string> {
  constructor(
    private readonly field: string,
    private readonly rule: InputRule,
  ) {}

  transform(value: unknown): string {
    const problem = ruleProblem(this.rule, this.field, value);
    if (problem !== null)
      throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
        { field: this.field, errors: [problem] },
      ]);
    return value as string;
  }
}
