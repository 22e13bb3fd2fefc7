import { PARTNER_AUDIENCE, type PartnerPrincipal } from '#collaborative/partners/index.js';
import { audienceStreamController, streamKey } from '#collaborative/stream/index.js';
import { participantThreadsController } from './participant-threads.controller.js';

/** The partner user's side of threads: the threads staff added them to. */
export const PartnerThreadsController = participantThreadsController<PartnerPrincipal>({
  audience: PARTNER_AUDIENCE,
  path: 'api/v1/partner/threads',
  tag: 'Partner API',
  name: 'PartnerThreadsController',
  who: (caller) => ({ kind: 'partner_user', id: caller.principal.partnerUserId }),
  party: 'partner user',
  member: 'the partner user',
  source: 'partner',
  operationIds: {
    list: 'listPartnerThreads',
    get: 'getPartnerThread',
    messages: 'listPartnerThreadMessages',
    post: 'postPartnerThreadMessage',
    read: 'readPartnerThread',
    upload: 'uploadPartnerThreadAttachment',
    download: 'downloadPartnerThreadAttachment',
  },
});

/** Live updates of the partner user's conversations. */
export const PartnerStreamController = audienceStreamController<PartnerPrincipal>({
  audience: PARTNER_AUDIENCE,
  path: 'api/v1/partner/stream',
  tag: 'Partner API',
  operationId: 'partnerStream',
  description:
    "A text/event-stream of the partner user's conversations: `message.posted` for a message someone else " +
    'writes in a thread they are in (never an internal note; the author by kind and name), ' +
    '`message.edited` and `message.deleted` for messages they see.',
  keyOf: (caller) => streamKey('partner_user', caller.principal.partnerUserId),
});
