import type { ModuleProblems, ProblemCatalog } from '#platform/http/index.js';

/** The problems of orders; `{name}` comes from the params. */
export const ORDER_PROBLEMS_CATALOG = {
  order_status_transition: {
    status: 409,
    en: [
      'Status change not allowed',
      'An order in status {from} cannot move to {to}; it can move to: {allowed}.',
    ],
    id: [
      'Perubahan status tidak diizinkan',
      'Pesanan berstatus {from} tidak dapat berpindah ke {to}; status berikutnya yang diizinkan: {allowed}.',
    ],
    extensions: {
      allowed: {
        type: 'array',
        maxItems: 10,
        items: { type: 'string', maxLength: 20, example: 'confirmed' },
        description: 'Statuses the order may move to from where it is',
      },
    },
  },
  order_not_returnable: {
    status: 409,
    en: [
      'Order cannot take returns',
      'The order is {status}; goods can be returned only from a delivered order.',
    ],
    id: [
      'Pesanan tidak dapat menerima retur',
      'Pesanan berstatus {status}; barang hanya dapat diretur dari pesanan yang sudah diterima.',
    ],
  },
  order_return_exceeds_delivered: {
    status: 422,
    en: [
      'Return exceeds what was delivered',
      'Line {lineNo} delivered {delivered} and {returned} came back already; at most {remaining} more can be returned, not {quantity}.',
    ],
    id: [
      'Retur melebihi yang dikirim',
      'Baris {lineNo} dikirim {delivered} dan {returned} sudah diretur; paling banyak {remaining} lagi dapat diretur, bukan {quantity}.',
    ],
  },
  order_closed_for_tracking: {
    status: 409,
    en: ['Order cancelled', 'The order was cancelled; it takes no tracking events.'],
    id: ['Pesanan dibatalkan', 'Pesanan ini dibatalkan; tidak dapat diberi peristiwa pelacakan.'],
  },
  order_quote_not_accepted: {
    status: 409,
    en: [
      'Quote not accepted',
      'The quote {number} is {status}; only an accepted quote becomes an order.',
    ],
    id: [
      'Penawaran belum diterima',
      'Penawaran {number} berstatus {status}; hanya penawaran yang diterima dapat menjadi pesanan.',
    ],
    extensions: {
      quoteStatus: {
        type: 'string',
        maxLength: 20,
        example: 'sent',
        description: 'Status the quote is in',
      },
    },
  },
  order_quote_already_ordered: {
    status: 409,
    en: ['Quote already ordered', 'The quote {number} became the order {order} already.'],
    id: ['Penawaran sudah dipesan', 'Penawaran {number} sudah menjadi pesanan {order}.'],
    extensions: {
      orderId: {
        type: 'string',
        format: 'uuid',
        maxLength: 36,
        example: '0192f000-0000-7000-8000-000000000042',
        description: 'The order placed from the quote',
      },
    },
  },
} as const satisfies ProblemCatalog;

declare module '#platform/http/problem-catalog.js' {
  interface ModuleProblemCodes {
    order_status_transition: true;
    order_not_returnable: true;
    order_return_exceeds_delivered: true;
    order_closed_for_tracking: true;
    order_quote_not_accepted: true;
    order_quote_already_ordered: true;
  }
}

export const ORDER_PROBLEMS: readonly ModuleProblems[] = [
  { module: 'orders', problems: ORDER_PROBLEMS_CATALOG },
];
