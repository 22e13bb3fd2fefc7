import { contentDisposition } from './file-download.js';

describe('contentDisposition', () => {
  it('keeps a plain name as it is', () => {
    expect(contentDisposition('invoice-1042.pdf')).toBe(
      `attachment; filename="invoice-1042.pdf"; filename*=UTF-8''invoice-1042.pdf`,
    );
  });

  it('gives any other name an ASCII fallback and its exact UTF-8 form', () => {
    const header = contentDisposition('Faktur – Juli "final" 100% (ümit) 📄.pdf');
    expect(header).toBe(
      `attachment; filename="Faktur _ Juli _final_ 100_ (_mit) __.pdf"; ` +
        `filename*=UTF-8''Faktur%20%E2%80%93%20Juli%20%22final%22%20100%25%20%28%C3%BCmit%29%20%F0%9F%93%84.pdf`,
    );
    // Only characters a header may carry.
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    const exact = /filename\*=UTF-8''(.+)$/.exec(header)![1];
    expect(decodeURIComponent(exact)).toBe('Faktur – Juli "final" 100% (ümit) 📄.pdf');
  });
});
