import { messageText, sanitizeMessageBody, type MessageFormat } from './message-body.js';

/** The local part's prefix of reply addresses: `reply+<token>@<domain>`. */
const REPLY_PREFIX = 'reply+';
/** Reply tokens are 18 random bytes in base64url (24 characters); anything else is no token. */
const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

export function replyAddress(token: string, domain: string): string {
  return `${REPLY_PREFIX}${token}@${domain}`;
}

/**
 * The reply token an address carries, when it is a reply address of `domain`. Mail relays and
 * clients may change the case of the domain, never of the local part, so only the domain is
 * compared without case.
 */
export function replyTokenOf(address: string, domain: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return null;
  const local = address.slice(0, at);
  if (!local.toLowerCase().startsWith(REPLY_PREFIX)) return null;
  const token = local.slice(REPLY_PREFIX.length);
  return TOKEN.test(token) ? token : null;
}

/** The Message-ID every mail of a thread references first, so that clients keep them together. */
export function threadRootId(threadId: string, domain: string): string {
  return `<thread-${threadId}@${domain}>`;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A thread message as an e-mail: a text part, and an HTML part that is either the stored
 * (already sanitized) HTML passed through the allow-list once more, or the Markdown text
 * escaped and kept in its lines. Nothing from the body reaches the HTML unsanitized.
 */
export function threadMail(m: {
  subject: string;
  authorName: string;
  body: string;
  format: MessageFormat;
  attachmentNames: string[];
}): { subject: string; text: string; html: string } {
  const text = messageText(m.body, m.format);
  const files = m.attachmentNames.length
    ? `\n\nAttached in the conversation: ${m.attachmentNames.join(', ')}`
    : '';
  const content =
    m.format === 'html'
      ? sanitizeMessageBody(m.body, 'html')
      : `<div style="white-space: pre-wrap">${escapeHtml(text)}</div>`;
  const filesHtml = m.attachmentNames.length
    ? `<p><small>Attached in the conversation: ${m.attachmentNames.map(escapeHtml).join(', ')}</small></p>`
    : '';
  return {
    subject: /^re:/i.test(m.subject) ? m.subject : `Re: ${m.subject}`,
    text: `${m.authorName} wrote:\n\n${text}${files}\n\nReply to this e-mail to answer in the conversation.\n`,
    html:
      `<p><strong>${escapeHtml(m.authorName)}</strong> wrote:</p>${content}${filesHtml}` +
      `<p><small>Reply to this e-mail to answer in the conversation.</small></p>`,
  };
}
