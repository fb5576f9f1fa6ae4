import { describe, expect, it } from '@jest/globals';
import { LineBuffer } from './line.buffer.js';

describe('LineBuffer', () => {
  const text = (out: LineBuffer) => out.take().toString('utf8');

  describe('thousandths', () => {
    it('writes a count of thousandths as a decimal', () => {
      const out = new LineBuffer();
      for (const count of [0, 7, 45, 999, 1000, 1234, 98765432, -1500, 12.6]) out.thousandths(count).ascii(' ');
      expect(text(out)).toBe('0.000 0.007 0.045 0.999 1.000 1.234 98765.432 -1.500 0.013 ');
    });
  });

  describe('number', () => {
    it('writes numbers as JSON does, and what is not finite as null', () => {
      const out = new LineBuffer();
      for (const value of [0, 42, 999, 1000, 2.5, -3, Number.NaN, Number.POSITIVE_INFINITY]) out.number(value).ascii(' ');
      expect(text(out)).toBe('0 42 999 1000 2.5 -3 null null ');
    });
  });

  describe('string', () => {
    it('quotes plain text as is and escapes anything else', () => {
      const out = new LineBuffer();
      out.string('orders.get').ascii(',').string('a"b\\c\n').ascii(',').string('café');
      expect(text(out)).toBe('"orders.get","a\\"b\\\\c\\n","café"');
    });
  });

  describe('growth', () => {
    it('grows past its first size and keeps what was written', () => {
      const out = new LineBuffer();
      const long = 'x'.repeat(50_000);
      out.string(long).newline().string(long).newline();
      expect(text(out)).toBe(`"${long}"\n"${long}"\n`);
    });
  });

  describe('take', () => {
    it('hands over what is written and starts empty', () => {
      const out = new LineBuffer();
      out.ascii('a').newline();
      const first = out.take();
      out.ascii('b').newline();
      expect(first.toString()).toBe('a\n');
      expect(out.take().toString()).toBe('b\n');
      expect(out.size).toBe(0);
    });
  });

  describe('truncate', () => {
    it('drops what was written after a mark', () => {
      const out = new LineBuffer();
      out.ascii('kept\n');
      const mark = out.size;
      out.ascii('half a li');
      out.truncate(mark);
      expect(text(out)).toBe('kept\n');
    });
  });
});
