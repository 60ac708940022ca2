import { describe, expect, it } from 'vitest';
import { maskUrl } from '../src/logger.ts';
import { redactUrl } from '../src/store/postgres/index.ts';

describe('maskUrl', () => {
  it('masks the password of a URL that parses and keeps the rest readable', () => {
    expect(maskUrl('postgres://bob:s3cret@db.example:5432/paperboy')).toBe('postgres://bob:***@db.example:5432/paperboy');
    expect(maskUrl('file:./data/paperboy.json')).toBe('file:./data/paperboy.json');
  });

  it('masks the password also when the URL does not parse (a port out of range)', () => {
    const masked = maskUrl('postgres://bob:s3cret@db.example:99999/paperboy');
    expect(masked).not.toContain('s3cret');
    expect(masked).toBe('postgres://bob:***@db.example:99999/paperboy');
  });

  it('is the one masking the PostgreSQL store uses in its messages', () => {
    expect(redactUrl).toBe(maskUrl);
  });
});
