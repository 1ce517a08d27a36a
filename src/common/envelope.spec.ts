import { successEnvelope, successEnvelopeJson } from './envelope';

describe('successEnvelopeJson', () => {
  beforeEach(() => jest.useFakeTimers().setSystemTime(new Date('2026-12-07T20:00:00.123Z')));
  afterEach(() => jest.useRealTimers());

  it.each([
    ['an object', { a: 1, b: [null, 'x"y'], c: { d: 'é\u2028' } }],
    ['null', null],
    ['a list', [1, 2]],
  ])('gives the bytes JSON.stringify gives of the envelope, for %s', (_, data) => {
    for (const requestId of ['3b0c0c4e-7f5e-4e55-9d3c-0f0b1c9e7a10', 'abc.1:2_-']) {
      expect(successEnvelopeJson(JSON.stringify(data), requestId)).toBe(
        JSON.stringify(successEnvelope(data, requestId)),
      );
    }
  });
});
