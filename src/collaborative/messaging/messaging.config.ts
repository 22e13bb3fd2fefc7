import { defineConfigSection, type ConfigComposition } from '#platform/config/index.js';

/** The `messaging` section: how long a message may be edited, and what may be attached. */
export interface MessagingConfig {
  /** Minutes after posting during which the author may still edit a message. */
  readonly editWindowMinutes: number;
  readonly attachments: {
    /** Where uploaded files are kept, one file per content hash. */
    readonly directory: string;
    readonly maxBytes: number;
    /** MIME types accepted, as sniffed from the content (not the name or the declared type). */
    readonly allowedTypes: readonly string[];
  };
  /** Staff messages out to contacts by e-mail, and their replies back into the thread. */
  readonly email: {
    /**
     * The domain of reply addresses (`reply+<token>@<replyDomain>`), routed by the mail relay
     * to the inbound e-mail endpoint. Without it no thread message goes out by e-mail.
     */
    readonly replyDomain: string | null;
    /** The From of thread mails, e.g. `"Relasi Support" <support@example.com>`. */
    readonly from: string;
  };
}

export const MESSAGING_SECTION = defineConfigSection<MessagingConfig>({
  key: 'messaging',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      editWindowMinutes: { type: 'integer', minimum: 0, maximum: 10_080 },
      email: {
        type: 'object',
        additionalProperties: false,
        properties: {
          replyDomain: {
            type: 'string',
            maxLength: 253,
            pattern:
              '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$',
          },
          from: { type: 'string', minLength: 3, maxLength: 320 },
        },
      },
      attachments: {
        type: 'object',
        additionalProperties: false,
        properties: {
          directory: { type: 'string', minLength: 1, maxLength: 1000 },
          maxBytes: { type: 'integer', minimum: 1, maximum: 1_073_741_824 },
          allowedTypes: {
            type: 'array',
            maxItems: 100,
            items: { type: 'string', pattern: '^[a-z]+/[a-z0-9.+-]+$' },
          },
        },
      },
    },
  },
  resolve: (given) => {
    const g = (given ?? {}) as {
      editWindowMinutes?: number;
      attachments?: Partial<MessagingConfig['attachments']>;
      email?: Partial<MessagingConfig['email']>;
    };
    return {
      editWindowMinutes: g.editWindowMinutes ?? 15,
      attachments: {
        directory: g.attachments?.directory ?? './.data/thread-attachments',
        maxBytes: g.attachments?.maxBytes ?? 10_485_760,
        allowedTypes: g.attachments?.allowedTypes ?? [
          'application/pdf',
          'image/png',
          'image/jpeg',
          'image/gif',
          'image/webp',
          'text/plain',
        ],
      },
      email: {
        replyDomain: g.email?.replyDomain?.toLowerCase() ?? null,
        from: g.email?.from ?? 'Relasi <no-reply@relasi.invalid>',
      },
    };
  },
});

export const MESSAGING_CONFIG: ConfigComposition = {
  sections: [MESSAGING_SECTION],
  reservedPaths: ['threads', 'stream', 'notifications', 'notification-settings'],
};
