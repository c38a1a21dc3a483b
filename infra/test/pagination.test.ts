import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor, pageWindow, toConnection } from '../src/pagination';

describe('keyset pagination (pure logic)', () => {
  const row = (n: number) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, createdAt: new Date(Date.UTC(2026, 0, n)) });

  it('round-trips a cursor, with the microseconds PostgreSQL keeps', () => {
    for (const at of ['2026-11-25 10:00:00.123456+00', '2026-11-25 11:00:00.5+01', '2026-11-25T10:00:00.123Z']) {
      const cursor = { at, id: row(1).id };
      expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    }
  });

  it('rejects cursors it did not make', () => {
    expect(() => decodeCursor('garbage')).toThrow(/not a cursor/);
    expect(() => decodeCursor(Buffer.from('2026-01-01|x').toString('base64url'))).toThrow(/not a cursor/);
    expect(() => decodeCursor(Buffer.from(`now()|${row(1).id}`).toString('base64url'))).toThrow(/not a cursor/);
    expect(() => decodeCursor(Buffer.from(`2026-13-45 99:00:00+00|${row(1).id}`).toString('base64url'))).toThrow(/not a cursor/);
  });

  it('bounds the page size', () => {
    expect(pageWindow({}).limit).toBe(20);
    expect(pageWindow({ first: 100 }).limit).toBe(100);
    expect(() => pageWindow({ first: 101 })).toThrow(/between 1 and 100/);
    expect(() => pageWindow({ first: 0 })).toThrow(/between 1 and 100/);
  });

  it('uses the extra row to tell whether another page follows', () => {
    const rows = [row(1), row(2), row(3)];
    expect(toConnection(rows, 2, 'createdAt')).toEqual({
      nodes: [row(1), row(2)],
      pageInfo: { hasNextPage: true, endCursor: encodeCursor({ at: row(2).createdAt.toISOString(), id: row(2).id }) },
    });
    // The exact value the query selected beside the row wins over the row's millisecond Date.
    const exact = { ...row(2), pageCursorAt: '2026-01-02 00:00:00.000789+00' };
    expect(toConnection([row(1), exact, row(3)], 2, 'createdAt').pageInfo.endCursor).toBe(encodeCursor({ at: exact.pageCursorAt, id: exact.id }));
    expect(toConnection(rows.slice(0, 2), 2, 'createdAt').pageInfo.hasNextPage).toBe(false);
    expect(toConnection<ReturnType<typeof row>>([], 2, 'createdAt').pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
