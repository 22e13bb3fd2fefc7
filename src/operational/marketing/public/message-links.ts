import { Inject, Injectable } from '@nestjs/common';
import { CRM_CONFIG, type CrmConfig } from '#platform/config/index.js';
import { MARKETING_SECTION, type MarketingConfig } from '../marketing.config.js';
import { LinkTokens, type LinkPurpose } from './link-tokens.js';

/** The links a message carries for its recipient, signed and expiring with `tokenLifetimeDays`. */
@Injectable()
export class MessageLinks {
  private readonly config: MarketingConfig;

  constructor(
    private readonly tokens: LinkTokens,
    @Inject(CRM_CONFIG) crm: CrmConfig,
  ) {
    this.config = MARKETING_SECTION.read(crm);
  }

  /** The host name the links point at; also the right-hand side of the Message-IDs. */
  get host(): string {
    return new URL(this.config.publicBaseUrl).hostname;
  }

  expiry(now = new Date()): Date {
    return new Date(now.getTime() + this.config.tokenLifetimeDays * 86_400_000);
  }

  token(purpose: LinkPurpose, contactId: string, messageId: string | null, link?: number) {
    return this.tokens.sign({
      purpose,
      contactId,
      messageId,
      link,
      exp: Math.floor(this.expiry().getTime() / 1000),
    });
  }

  preferences(contactId: string, messageId: string | null): string {
    return `${this.config.publicBaseUrl}/public/preferences/${this.token('preferences', contactId, messageId)}`;
  }

  unsubscribe(contactId: string, messageId: string | null): string {
    return `${this.config.publicBaseUrl}/public/unsubscribe/${this.token('unsubscribe', contactId, messageId)}`;
  }

  openPixel(contactId: string, messageId: string): string {
    return `${this.config.publicBaseUrl}/public/t/o/${this.token('open', contactId, messageId)}.gif`;
  }

  click(contactId: string, messageId: string, link: number): string {
    return `${this.config.publicBaseUrl}/public/t/c/${this.token('click', contactId, messageId, link)}`;
  }
}
