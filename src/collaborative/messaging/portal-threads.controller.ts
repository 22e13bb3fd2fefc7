import { PORTAL_AUDIENCE, type PortalPrincipal } from '#operational/service/index.js';
import { audienceStreamController, streamKey } from '#collaborative/stream/index.js';
import { participantThreadsController } from './participant-threads.controller.js';

/** The customer's side of threads in the portal: the threads their contact takes part in. */
export const PortalThreadsController = participantThreadsController<PortalPrincipal>({
  audience: PORTAL_AUDIENCE,
  path: 'api/v1/portal/threads',
  tag: 'Customer portal',
  name: 'PortalThreadsController',
  who: (caller) => ({ kind: 'contact', id: caller.principal.contactId }),
  party: 'customer',
  member: 'their contact',
  source: 'portal',
  operationIds: {
    list: 'listPortalThreads',
    get: 'getPortalThread',
    messages: 'listPortalThreadMessages',
    post: 'postPortalThreadMessage',
    read: 'readPortalThread',
    upload: 'uploadPortalThreadAttachment',
    download: 'downloadPortalThreadAttachment',
  },
});

/** Live updates of the customer's conversations. */
export const PortalStreamController = audienceStreamController<PortalPrincipal>({
  audience: PORTAL_AUDIENCE,
  path: 'api/v1/portal/stream',
  tag: 'Customer portal',
  operationId: 'portalStream',
  description:
    "A text/event-stream of the customer's conversations: `message.posted` for a message someone else " +
    'writes in a thread their contact is in (never an internal note; the author by kind and name), ' +
    '`message.edited` and `message.deleted` for messages they see.',
  keyOf: (caller) => streamKey('contact', caller.principal.contactId),
});
