import { InvalidCursorError, PageSizeError } from "../errors/errors";

/**
 * Keyset cursors: opaque base64url JSON naming the ordering they belong to, so a cursor from
 * one ordering (or one query) is refused by another instead of silently skipping rows.
 */
export function encodeCursor(kind: string, key: unknown[]): string {
  return Buffer.from(JSON.stringify({ k: kind, v: key })).toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined, kind: string, arity: number): unknown[] | null {
  if (cursor == null || cursor === "") return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (parsed?.k === kind && Array.isArray(parsed.v) && parsed.v.length === arity) return parsed.v;
  } catch {
    // fall through: not ours
  }
  throw new InvalidCursorError();
}

export function pageSize(
  first: number | null | undefined,
  defaults: { defaultPageSize: number; maxPageSize: number },
): number {
  const n = first ?? defaults.defaultPageSize;
  if (!Number.isInteger(n) || n < 0 || n > defaults.maxPageSize) throw new PageSizeError(n, defaults.maxPageSize);
  return n;
}

export interface Page<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
}

/** Turns `limit + 1` fetched rows into a page: the extra row only says there is more. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Page<T> {
  const nodes = rows.slice(0, limit);
  return { nodes, cursors: nodes.map(cursorOf), hasNextPage: rows.length > limit };
}

/** Escapes LIKE/ILIKE wildcards so user text matches literally. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => "\\" + c);
}
