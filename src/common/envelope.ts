/** The one JSON shape of every /api response, success or failure. */
export interface Envelope<T = unknown> {
  success: boolean;
  code: string;
  message: string;
  data: T | null;
  details?: unknown;
  requestId: string;
  timestamp: string;
}

export function successEnvelope<T>(data: T, requestId: string): Envelope<T> {
  return {
    success: true,
    code: 'OK',
    message: 'OK',
    data,
    requestId,
    timestamp: new Date().toISOString(),
  };
}

/**
 * The text JSON.stringify(successEnvelope(data, requestId)) gives, for data already serialised as
 * `dataJson`: the same keys in the same order, so a client cannot tell the two apart.
 */
export function successEnvelopeJson(dataJson: string, requestId: string): string {
  return (
    `{"success":true,"code":"OK","message":"OK","data":${dataJson},` +
    `"requestId":${JSON.stringify(requestId)},"timestamp":"${new Date().toISOString()}"}`
  );
}

export function errorEnvelope(
  code: string,
  message: string,
  requestId: string,
  details?: unknown,
): Envelope<null> {
  const envelope: Envelope<null> = {
    success: false,
    code,
    message,
    data: null,
    requestId,
    timestamp: new Date().toISOString(),
  };
  if (details !== undefined) envelope.details = details;
  return envelope;
}
