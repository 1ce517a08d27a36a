import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifySignature } from '../../../src/notifications/signature';

/** One request the receiver took, as it came (for replaying it in a test). */
export interface TakenRequest {
  headers: Record<string, string>;
  body: string;
}

export type ReceiverBehaviour = 'ok' | 'fail' | 'hang' | { slowMs: number };

/**
 * A loopback webhook receiver that checks every request as a real one should: the HMAC
 * signature over timestamp and body, the timestamp's age, and that the same signature never
 * comes twice (a replay). What it accepts it records event by event; what it refuses it counts.
 * It can start closed (the port reserved, nothing listening: "down"), answer 500, hang, or be slow.
 */
export class SignedReceiver {
  readonly events: Array<{ id: string; type: string; subject: string }> = [];
  readonly accepted: TakenRequest[] = [];
  readonly refused: Record<string, number> = {};
  requests = 0;
  /** When each request arrived (epoch ms), to see the backoff between tries. */
  readonly times: number[] = [];
  /** Every request as it arrived, answered or not: when, and the event ids its body carried. */
  readonly tries: Array<{ at: number; ids: string[] }> = [];
  behaviour: ReceiverBehaviour = 'ok';
  private readonly seen = new Set<string>();
  private server: Server | undefined;

  constructor(
    readonly secret: string | undefined,
    readonly port: number,
  ) {}

  static async reservePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async up(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async down(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
    this.server = undefined;
  }

  /** Distinct event ids: what a receiver deduplicating by idempotency key keeps. */
  get distinctIds(): Set<string> {
    return new Set(this.events.map((e) => e.id));
  }

  private refuse(res: ServerResponse, status: number, why: string): void {
    this.refused[why] = (this.refused[why] ?? 0) + 1;
    res.writeHead(status).end(why);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.requests++;
    this.times.push(Date.now());
    this.tries.push({ at: Date.now(), ids: eventIds(body) });
    const b = this.behaviour;
    if (b === 'hang') return;
    if (b === 'fail') return void res.writeHead(500).end('down for maintenance');
    if (typeof b === 'object') await new Promise((r) => setTimeout(r, b.slowMs));
    const header = req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined;
    if (this.secret) {
      const verdict = verifySignature(this.secret, header, body, Date.now());
      if (verdict !== 'valid') return this.refuse(res, 401, verdict);
      if (this.seen.has(header!)) return this.refuse(res, 409, 'replay');
      this.seen.add(header!);
    }
    this.accepted.push({ headers: req.headers as Record<string, string>, body });
    for (const e of events(body)) this.events.push({ id: e.id, type: e.type, subject: e.subject });
    res.writeHead(204).end();
  }
}

/** The events a body carries: a webhook batch, a structured CloudEvent, or a binary one's data. */
function events(body: string): Array<{ id: string; type: string; subject: string }> {
  let parsed: any;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  // Slack messages carry no event ids.
  return ((parsed.events ?? [parsed.data ?? parsed]) as any[]).filter((e) => e?.id);
}

function eventIds(body: string): string[] {
  return events(body).map((e) => e.id);
}
