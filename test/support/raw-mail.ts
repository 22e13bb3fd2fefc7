/** An RFC 822 message; `parts` adds a multipart/mixed body with attachments. */
export function rawMail(
  headers: Record<string, string>,
  text: string,
  parts: { name: string; type: string; content: Buffer }[] = [],
): Buffer {
  const head = Object.entries({ 'MIME-Version': '1.0', Date: new Date().toUTCString(), ...headers })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  if (!parts.length)
    return Buffer.from(`${head}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`);
  const b = 'XBOUNDARYX';
  const body = [
    `--${b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`,
    ...parts.map(
      (p) =>
        `--${b}\r\nContent-Type: ${p.type}; name="${p.name}"\r\nContent-Disposition: attachment; filename="${p.name}"\r\n` +
        `Content-Transfer-Encoding: base64\r\n\r\n${p.content.toString('base64')}\r\n`,
    ),
    `--${b}--\r\n`,
  ].join('');
  return Buffer.from(`${head}\r\nContent-Type: multipart/mixed; boundary="${b}"\r\n\r\n${body}`);
}
