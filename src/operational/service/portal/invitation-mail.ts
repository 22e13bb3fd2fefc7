/** The invitation mail's text in the contact's language: who invites, the link, until when. */
export function invitationMail(
  locale: 'en' | 'id',
  m: { name: string; organization: string; link: string; expiresAt: Date },
): { subject: string; text: string } {
  const until = m.expiresAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  if (locale === 'id')
    return {
      subject: `Undangan ke portal pelanggan ${m.organization}`,
      text:
        `Halo ${m.name},\n\n${m.organization} mengundang Anda ke portal pelanggan. ` +
        `Buat kata sandi Anda di tautan berikut (berlaku sampai ${until}, sekali pakai):\n\n${m.link}\n`,
    };
  return {
    subject: `Your invitation to the ${m.organization} customer portal`,
    text:
      `Hello ${m.name},\n\n${m.organization} invites you to its customer portal. ` +
      `Set your password at this link (valid until ${until}, once):\n\n${m.link}\n`,
  };
}
