import { sniffContentType } from './content-type-sniffer.js';

describe('sniffContentType', () => {
  it.each([
    ['%PDF-1.7\n', 'application/pdf'],
    ['\x89PNG\r\n\x1a\n\0\0', 'image/png'],
    ['\xff\xd8\xff\xe0', 'image/jpeg'],
    ['GIF89a', 'image/gif'],
    ['RIFF\0\0\0\0WEBPVP8 ', 'image/webp'],
    ['PK\x03\x04', 'application/zip'],
    ['MZ\x90\0', 'application/x-msdownload'],
    ['Halo, printer saya rusak.\n', 'text/plain'],
    ['bin\0ary', 'application/octet-stream'],
    ['', 'application/octet-stream'],
  ])('%j is %s', (text, type) => {
    expect(sniffContentType(Buffer.from(text, 'latin1'))).toBe(type);
  });

  it('reads UTF-8 text cut in the middle of a character as text, and invalid UTF-8 as binary', () => {
    const text = Buffer.from('Terima kasih — ', 'utf8');
    expect(sniffContentType(text.subarray(0, text.length - 2))).toBe('text/plain');
    expect(sniffContentType(Buffer.from([0x61, 0xc3, 0x28, 0x62]))).toBe(
      'application/octet-stream',
    );
  });
});
