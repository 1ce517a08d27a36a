import type { ApiToken } from './api-token.entity';

/**
 * How long a token row read from the database is trusted without reading it again. It bounds how
 * late another replica notices a revocation (this replica forgets a token it revokes at once):
 * docs/scaling.md promises within 1 s.
 */
export const TOKEN_REUSE_MS = 1000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  row: ApiToken;
  /** What the caller derived from the row (its compiled grants), reused with it. */
  derived: T;
  readAt: number;
}

/**
 * The token rows the last second of requests needed, by public id, so an authenticated request
 * costs no database read in steady state. Only rows that exist are kept: an unknown id is read
 * each time, so guessed ids cannot fill it.
 */
export class RecentTokens<T> {
  private readonly entries = new Map<string, Entry<T>>();

  get(publicId: string, now: number): Entry<T> | undefined {
    const entry = this.entries.get(publicId);
    if (entry && now - entry.readAt < TOKEN_REUSE_MS) return entry;
    if (entry) this.entries.delete(publicId);
    return undefined;
  }

  set(row: ApiToken, derived: T, now: number): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(row.publicId, { row, derived, readAt: now });
  }

  forget(id: string): void {
    for (const [publicId, entry] of this.entries)
      if (entry.row.id === id) this.entries.delete(publicId);
  }
}
