import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '#platform/context/index.js';
import { ApiProblems, AppError } from '#platform/http/index.js';
import type { StreamClient, StreamEvent, StreamHub } from './stream-hub.js';

const EVENT_ID = /^\d{1,19}$/;
const EVENT_ID_SCHEMA = { type: 'string', pattern: '^[0-9]{1,19}$', maxLength: 19 } as const;

/** The OpenAPI description every event stream shares: its resume parameters and its body. */
export function ApiEventStream(operationId: string, summary: string, description: string) {
  return applyDecorators(
    ApiOperation({
      summary,
      description:
        `${description} Each event has an \`id\`; a client that reconnects with \`Last-Event-ID\` (header, or ` +
        '`lastEventId` query parameter) first gets what it missed within `stream.retentionMinutes`. An idle ' +
        'connection carries a heartbeat comment every `stream.heartbeatSeconds`; a `ready` comment says the ' +
        'stream is live (replay done, nothing later is missed). Works across server processes.',
      operationId,
    }),
    ApiProduces('text/event-stream'),
    ApiHeader({
      name: 'Last-Event-ID',
      required: false,
      description: 'Resume after this event id',
      schema: EVENT_ID_SCHEMA,
    }),
    ApiQuery({
      name: 'lastEventId',
      required: false,
      description: 'As Last-Event-ID',
      schema: EVENT_ID_SCHEMA,
    }),
    ApiOkResponse({
      description: 'The event stream, open until the client leaves',
      content: {
        'text/event-stream': {
          schema: { type: 'string', maxLength: 1_073_741_824 },
          example: 'id: 42\nevent: message.posted\ndata: {"threadId":"…","messageId":"…"}\n\n',
        },
      },
    }),
    ApiProblems(400, 401),
  );
}

export interface EventStreamRequest {
  ctx: RequestContext;
  header: string | undefined;
  query: Record<string, unknown>;
  req: FastifyRequest;
  reply: FastifyReply;
  /** Whose events: a staff user's id, or an outside participant's `streamKey`. */
  key: string;
  staff: boolean;
}

/**
 * Answers with the event stream of one caller, whichever audience: checks the resume point
 * (400 before anything is sent), then holds the connection open on the hub.
 */
export async function openEventStream(hub: StreamHub, r: EventStreamRequest): Promise<void> {
  const unknown = Object.keys(r.query).find((k) => k !== 'lastEventId');
  if (unknown) throw AppError.field(unknown, 'unknownField', 'is not a parameter of the stream');
  const given =
    r.header ?? (typeof r.query.lastEventId === 'string' ? r.query.lastEventId : undefined);
  if (given !== undefined && !EVENT_ID.test(given.trim()))
    throw AppError.field('Last-Event-ID', 'matches', 'must be the id of an event');
  r.reply.hijack();
  const raw = r.reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': r.ctx.requestId,
  });
  raw.write('retry: 3000\n\n');
  let closed = false;
  const client: StreamClient = {
    key: r.key,
    staff: r.staff,
    send: (e: StreamEvent) => {
      if (!closed) raw.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    },
    comment: (text) => {
      if (!closed) raw.write(`: ${text}\n\n`);
    },
    close: () => {
      if (!closed) raw.end();
    },
  };
  let disconnect: (() => void) | null = null;
  r.req.raw.once('close', () => {
    closed = true;
    disconnect?.();
  });
  disconnect = await hub.connect(client, given?.trim() ?? null);
  if (closed) disconnect();
  // From here on nothing for the caller is missed: a client may wait for this before acting.
  else client.comment('ready');
}
