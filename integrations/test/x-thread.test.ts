import { describe, expect, it } from '@jest/globals';
import { splitThread, xWeightedLength } from '@umt/integrations';

/** The parts without their " i/n" numbering. */
const unnumbered = (parts: string[]) => parts.map((part) => part.replace(/ \d+\/\d+$/, ''));
const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe("X's weighted length", () => {
  it('counts Latin text by characters', () => {
    expect(xWeightedLength('Hello, world!')).toBe(13);
    expect(xWeightedLength('Ça coûte 5 €')).toBe(13); // Ç, û in the light ranges; € (U+20AC) is not: 2
  });

  it('counts every URL as 23, whatever its length, without the punctuation after it', () => {
    expect(xWeightedLength(`https://example.com/${'a'.repeat(200)}`)).toBe(23);
    expect(xWeightedLength('see http://a.io')).toBe(4 + 23);
    expect(xWeightedLength('(see https://example.com/x).')).toBe('(see '.length + 23 + ').'.length);
    expect(xWeightedLength('docs.example.org/path/to/page')).toBe(23); // a bare domain is linked too
    expect(xWeightedLength('write to me@example.com')).toBe('write to me@example.com'.length); // an e-mail is not a URL
  });

  it('counts wide characters and emoji as 2', () => {
    expect(xWeightedLength('日本語')).toBe(6);
    expect(xWeightedLength('👍')).toBe(2);
    expect(xWeightedLength('👨‍👩‍👧')).toBe(2); // one ZWJ sequence
    expect(xWeightedLength('🇫🇷')).toBe(2);
    expect(xWeightedLength('👍🏽')).toBe(2); // with a skin tone
  });

  it('counts after NFC normalization', () => {
    expect(xWeightedLength('e\u0301')).toBe(1);
  });
});

describe('splitting a long post into a thread', () => {
  it('keeps a post that fits as one part, trimmed and unnumbered', () => {
    expect(splitThread('  Hello there  ')).toEqual(['Hello there']);
    expect(splitThread('x'.repeat(280))).toEqual(['x'.repeat(280)]);
    expect(splitThread('   ')).toEqual([]);
  });

  it('splits on word boundaries, each part at most 280 with its " i/n"', () => {
    const text = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
    const parts = splitThread(text);
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((part, i) => {
      expect(xWeightedLength(part)).toBeLessThanOrEqual(280);
      expect(part.endsWith(` ${i + 1}/${parts.length}`)).toBe(true);
    });
    // No word cut, none lost, order kept.
    expect(unnumbered(parts).flatMap(words)).toEqual(words(text));
    // Greedy: a part is not ended while the next word would still fit.
    for (let i = 0; i < parts.length - 1; i += 1) {
      const next = words(unnumbered(parts)[i + 1] as string)[0] as string;
      expect(xWeightedLength(`${unnumbered(parts)[i] as string} ${next} ${i + 1}/${parts.length}`)).toBeGreaterThan(280);
    }
  });

  it('counts URLs as 23 when packing, so a part can hold more than 280 characters of links', () => {
    const url = `https://example.com/${'long-path-segment/'.repeat(10)}`;
    const text = Array.from({ length: 20 }, (_, i) => `link ${i}: ${url}`).join(' ');
    const parts = splitThread(text);
    expect(parts.every((part) => xWeightedLength(part) <= 280)).toBe(true);
    expect(parts[0]?.length).toBeGreaterThan(280); // as characters, but not as X counts
    expect(unnumbered(parts).join(' ')).toBe(text);
  });

  it('counts wide characters as 2 when packing', () => {
    const text = Array.from({ length: 60 }, () => '日本語のテキスト').join(' ');
    const parts = splitThread(text);
    expect(parts.every((part) => xWeightedLength(part) <= 280)).toBe(true);
    expect(parts.every((part) => [...part].length < 280)).toBe(true);
    expect(unnumbered(parts).join(' ')).toBe(text);
  });

  it('numbers with two digits once the thread reaches ten parts', () => {
    const text = Array.from({ length: 700 }, (_, i) => `w${i % 10}xyz`).join(' ');
    const parts = splitThread(text);
    expect(parts.length).toBeGreaterThanOrEqual(10);
    expect(parts.at(-1)?.endsWith(` ${parts.length}/${parts.length}`)).toBe(true);
    expect(parts.every((part) => xWeightedLength(part) <= 280)).toBe(true);
  });

  it('keeps line breaks inside a part and drops the whitespace where it splits', () => {
    const paragraph = 'A sentence that makes up a paragraph of the post. '.repeat(3).trim();
    const text = [paragraph, paragraph, paragraph, paragraph].join('\n\n');
    const parts = splitThread(text);
    expect(parts[0]).toContain('\n\n');
    expect(parts.every((part) => part === part.trim())).toBe(true);
    expect(unnumbered(parts).flatMap(words)).toEqual(words(text));
  });

  it('cuts only a word longer than a whole part', () => {
    const long = 'x'.repeat(600);
    const parts = splitThread(`before ${long} after`);
    expect(parts.every((part) => xWeightedLength(part) <= 280)).toBe(true);
    expect(unnumbered(parts).join('').replace(/\s/g, '')).toBe(`before${long}after`);
  });

  it('can leave the parts unnumbered', () => {
    const text = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const parts = splitThread(text, { numbering: false });
    expect(parts.some((part) => /\d+\/\d+$/.test(part))).toBe(false);
    expect(parts.join(' ')).toBe(text);
    expect(parts.every((part) => xWeightedLength(part) <= 280)).toBe(true);
  });
});
