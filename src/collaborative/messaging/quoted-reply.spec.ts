import { stripQuotedReply } from './quoted-reply.js';

describe('stripQuotedReply', () => {
  it('cuts at "On … wrote:" and drops quoted lines', () => {
    const text =
      'Thanks, Friday works.\n\nOn Mon, 7 Dec 2026 at 10:00, Budi <budi@example.com> wrote:\n> Can we ship Friday?\n> Budi\n';
    expect(stripQuotedReply(text)).toBe('Thanks, Friday works.');
  });

  it('cuts at a wrapped attribution and at the Indonesian one', () => {
    expect(
      stripQuotedReply(
        'Siap.\n\nOn Mon, 7 Dec 2026 at 10:00, Budi Santoso\n<budi@example.com> wrote:\n> x',
      ),
    ).toBe('Siap.');
    expect(stripQuotedReply('Baik.\n\nPada 7 Des 2026 10.00, Budi menulis:\n> x')).toBe('Baik.');
  });

  it("cuts at Outlook's header block and separator, and at the signature", () => {
    expect(
      stripQuotedReply('Done.\n\nFrom: Budi <budi@example.com>\nSent: Monday\nSubject: x\n\nold'),
    ).toBe('Done.');
    expect(stripQuotedReply('Ok.\n-----Original Message-----\nold')).toBe('Ok.');
    expect(stripQuotedReply('Ok.\n-- \nSiti Rahayu\nPT Pelanggan')).toBe('Ok.');
  });

  it('keeps a "From:" inside a paragraph and interleaved answers', () => {
    expect(stripQuotedReply('The parcel came\nFrom: the depot, not you.')).toBe(
      'The parcel came\nFrom: the depot, not you.',
    );
    expect(stripQuotedReply('> Friday?\nYes.\n> Address?\nSame as before.')).toBe(
      'Yes.\nSame as before.',
    );
  });

  it('keeps the whole text when the reply is only a quote', () => {
    expect(stripQuotedReply('> only the quote')).toBe('> only the quote');
  });
});
