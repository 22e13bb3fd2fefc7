/** The partner invitation's text in the invitee's language: the programme, the link, until when. */
export function partnerInvitationMail(
  locale: 'en' | 'id',
  m: { name: string; organization: string; partner: string; link: string; expiresAt: Date },
): { subject: string; text: string } {
  const until = m.expiresAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  if (locale === 'id')
    return {
      subject: `Akses mitra ${m.organization} untuk ${m.partner}`,
      text:
        `Halo ${m.name},\n\nAnda diundang ke portal mitra ${m.organization} sebagai pengguna ${m.partner}. ` +
        `Tautan sekali pakai ini berlaku sampai ${until}:\n\n${m.link}\n`,
    };
  return {
    subject: `${m.organization} partner access for ${m.partner}`,
    text:
      `Hello ${m.name},\n\nYou are invited to the ${m.organization} partner portal as a user of ${m.partner}. ` +
      `This single-use link works until ${until}:\n\n${m.link}\n`,
  };
}
