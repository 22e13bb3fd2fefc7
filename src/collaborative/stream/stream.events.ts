/**
 * What the live stream sends, by SSE event name. The stream carries no domain event of its
 * own to other modules; this is the contract with its clients.
 */
export const STREAM_EVENT_TYPES = [
  'message.posted',
  'message.edited',
  'message.deleted',
  'mention',
  'assignment',
  'notification',
] as const;
export type StreamEventType = (typeof STREAM_EVENT_TYPES)[number];

/** One event for some users, as a module hands it to the stream. */
export interface StreamEventInput {
  type: StreamEventType;
  /** Only these staff users receive it. */
  userIds: readonly string[];
  /** And these outside participants, as `streamKey(kind, id)` names them. */
  recipients?: readonly string[];
  data: Record<string, unknown>;
}

/**
 * The key an outside participant's client listens on, by participant kind and id:
 * `contact:<contact id>`, `partner_user:<partner user id>`. Never a bare uuid, so it cannot
 * meet a staff user's id.
 */
export function streamKey(kind: string, id: string): string {
  return `${kind}:${id}`;
}
