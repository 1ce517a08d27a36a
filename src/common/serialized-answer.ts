/**
 * An answer whose JSON text is made once and sent as is by every request that gets it unchanged:
 * the envelope interceptor splices `json` into the envelope instead of serialising `value` again.
 * A caller whose grants trim the answer gets `value` trimmed and serialised as usual.
 */
export class SerializedAnswer<T> {
  readonly json: string;

  constructor(readonly value: T) {
    this.json = JSON.stringify(value);
  }
}
