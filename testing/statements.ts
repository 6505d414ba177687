import pg from "pg";

/**
 * Counts the SQL statements this process sends to its database, at the
 * driver: every `client.query` of node-postgres, which Prisma's pg adapter
 * and its transactions (BEGIN/COMMIT) go through. What a test asserts is
 * what the database sees per operation, independent of Prisma's own
 * bookkeeping; and `rows`, how many rows those statements brought back.
 *
 *   const { count, statements, rows } = await countStatements(() => issue(...));
 */
type Query = (...args: unknown[]) => unknown;

const seen: string[] = [];
let rowsSeen = 0;
let counting = 0;
let installed = false;
let listener: ((count: number) => void) | undefined;

function install() {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (counting > 0) {
      const first = args[0] as string | { text?: string } | undefined;
      seen.push(typeof first === "string" ? first : (first?.text ?? "?"));
      listener?.(seen.length);
      const count = (result: { rows?: unknown[] } | undefined) => (rowsSeen += Array.isArray(result?.rows) ? result.rows.length : 0);
      // pg.Pool passes a callback; a client's own caller awaits the promise.
      const last = args.length - 1;
      if (typeof args[last] === "function") {
        const callback = args[last] as (error: unknown, result?: { rows?: unknown[] }) => void;
        args[last] = (error: unknown, result?: { rows?: unknown[] }) => {
          if (!error) count(result);
          callback(error, result);
        };
        return original.apply(this, args);
      }
      const answer = original.apply(this, args) as Promise<{ rows?: unknown[] }> | undefined;
      // Attached before the caller's own continuation, so counted by the time `work` resolves.
      answer?.then?.(count, () => {});
      return answer;
    }
    return original.apply(this, args);
  };
}

export async function countStatements<T>(
  work: () => Promise<T>,
  /** Told the running count after each statement, for tests that ask what happened before some point. */
  onStatement?: (count: number) => void,
): Promise<{ result: T; count: number; statements: string[]; rows: number }> {
  install();
  seen.length = 0;
  rowsSeen = 0;
  listener = onStatement;
  counting += 1;
  try {
    const result = await work();
    return { result, count: seen.length, statements: [...seen], rows: rowsSeen };
  } finally {
    counting -= 1;
    listener = undefined;
  }
}
