import { csvCell, csvLine, unescapeCell } from './csv-cells.js';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['', ''],
  ])('quotes %j as RFC 4180 wants: %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+62 21 555', "'+62 21 555"],
    ['-minus', "'-minus"],
    ['@cmd', "'@cmd"],
    ['\tTab', "'\tTab"],
    ['=HYPERLINK("x","y")', '"\'=HYPERLINK(""x"",""y"")"'],
  ])('defuses %j, which a spreadsheet would run as a formula', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('keeps the numbers of numeric columns as numbers, and only those', () => {
    expect(csvCell('-12.5', true)).toBe('-12.5');
    expect(csvCell('-1e3', true)).toBe('-1e3');
    expect(csvCell('-12.5')).toBe("'-12.5");
    expect(csvCell('-12 apples', true)).toBe("'-12 apples");
  });

  it('reads back what it wrote', () => {
    for (const value of ['=1+1', '-minus', '@x', 'plain', "'quoted", "'", '-'])
      expect(unescapeCell(csvCell(value).replace(/^"|"$/g, ''))).toBe(value);
  });

  it('ends lines with CRLF', () => {
    expect(csvLine(['a', '"b"'])).toBe('a,"b"\r\n');
  });
});
