import { SerializedAnswer } from './serialized-answer';

describe('SerializedAnswer', () => {
  it('holds its value and the JSON of that value', () => {
    const value = { a: 1, skipped: undefined, list: ['x'] };
    const answer = new SerializedAnswer(value);
    expect(answer.value).toBe(value);
    expect(answer.json).toBe('{"a":1,"list":["x"]}');
  });
});
