import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './global-setup.js';

export interface Inbox {
  port: number;
  mails: ParsedMail[];
  /** Called with each message before it is accepted. */
  onMessage: ((mail: ParsedMail) => Promise<void> | void) | null;
  close(): Promise<void>;
}

/** A real SMTP server on localhost that keeps every message it accepts. */
export async function inbox(): Promise<Inbox> {
  const port = await freePort();
  const box: Inbox = { port, mails: [], onMessage: null, close: async () => undefined };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          box.mails.push(mail);
          await box.onMessage?.(mail);
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  // A sender killed in the middle of a message resets its connection, and smtp-server reports
  // that as an 'error' event, which unheard would end the test process. Like a real mail
  // server, the inbox drops the unfinished message and carries on.
  smtp.on('error', () => undefined);
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
  box.close = () => new Promise<void>((resolve) => smtp.close(() => resolve()));
  return box;
}

/** The messages addressed to one recipient. */
export const mailsTo = (box: Inbox, address: string) =>
  box.mails.filter((m) => (m.to as { text: string } | undefined)?.text === address);

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 45_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 150));
  }
}
