import { messageText, sanitizeMessageBody } from './message-body.js';

describe('message bodies', () => {
  it('strips scripts, event handlers and javascript: links from HTML', () => {
    const out = sanitizeMessageBody(
      '<p onclick="steal()">Hi <b>there</b><script>alert(1)</script></p>' +
        '<a href="javascript:alert(1)">x</a><a href="https://relasi.example/a">ok</a>' +
        '<img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe>',
      'html',
    );
    expect(out).not.toMatch(/script|onclick|onerror|javascript:|<img|<iframe/i);
    expect(out).toContain('<p>Hi <b>there</b></p>');
    expect(out).toContain(
      '<a href="https://relasi.example/a" rel="noopener noreferrer nofollow">ok</a>',
    );
  });

  it('keeps Markdown syntax while removing HTML and script links inside it', () => {
    const out = sanitizeMessageBody(
      '> quoted & kept\n\n**bold** a < b <script>alert(1)</script><b onmouseover="x">b</b>\n' +
        '[click](javascript:alert(1)) [ok](https://relasi.example)\n[ref]: JavaScript:alert(2)',
      'markdown',
    );
    expect(out).toContain('> quoted & kept');
    expect(out).toContain('**bold** a &lt; b <b>b</b>');
    expect(out).toContain('[click](#blocked:alert(1))');
    expect(out).toContain('[ok](https://relasi.example)');
    expect(out).toContain('[ref]: #blocked:alert(2)');
    expect(out).not.toMatch(/<script|onmouseover|javascript:/i);
  });

  it('gives the plain text of an HTML body', () => {
    expect(messageText('<p>One &amp; two</p><p>Three</p>', 'html')).toBe('One & two\nThree');
  });
});
