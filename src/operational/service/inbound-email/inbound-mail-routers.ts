import { Injectable } from '@nestjs/common';
import type { ParsedMail } from 'mailparser';
import type { RequestContext } from '#platform/context/index.js';

/** An inbound e-mail as the routers see it, parsed once. */
export interface InboundMail {
  parsed: ParsedMail;
  /** The Message-ID without angle brackets (one is made up when the mail has none). */
  messageId: string;
  /** The sender's address, lower case. */
  from: string;
  fromName: string;
  /** Every address the mail was sent to: To, Cc, Delivered-To and X-Original-To. */
  recipients: string[];
}

/** What a router made of a mail; `result` is the endpoint's answer. */
export interface InboundRouted {
  result: Record<string, unknown>;
  /** The same mail was routed before: the endpoint answers 200 with the first result. */
  replayed: boolean;
}

/**
 * A module's claim on some inbound e-mails, tried before e-mail-to-case. `route` runs inside
 * the endpoint's transaction; it answers null to leave the mail to the next router and, after
 * the last one, to e-mail-to-case. A router that answers null may still record why.
 */
export interface InboundMailRouter {
  /** Names the router in logs and answers, e.g. `thread`. */
  readonly name: string;
  route(tx: RequestContext, mail: InboundMail): Promise<InboundRouted | null>;
}

/**
 * The extension point of the inbound e-mail endpoint: modules register their routers at start
 * (`onModuleInit`), and the endpoint tries them in the order they registered.
 */
@Injectable()
export class InboundMailRouters {
  private readonly routers: InboundMailRouter[] = [];

  register(router: InboundMailRouter): void {
    if (this.routers.some((r) => r.name === router.name))
      throw new Error(`inbound mail router ${router.name} is registered twice`);
    this.routers.push(router);
  }

  list(): readonly InboundMailRouter[] {
    return this.routers;
  }
}
