import { drizzle } from "drizzle-orm/postgres-js";
import net from "node:net";
import postgres from "postgres";
import { statementCounter, type Database, type Db } from "./database";
import { isDatabaseUnavailable, sqlState } from "./errors";
import { withTransactionHooks } from "./hooks";
import * as schema from "./schema";

/**
 * A PostgreSQL server through postgres.js.
 *
 * Most of this file works around one postgres.js fault (porsager/postgres#1208, present in 3.4):
 * a connection the server dropped in the middle of a write can leave a pool that never sends
 * again, and the ROLLBACK it sends over the dead socket throws where nothing can catch it.
 * `replaceablePool` and `holdingLostErrors` can go once a postgres.js release fixes that; the
 * outage test (lib/testing/reliability/faults.test.ts) stops and starts a server under load and
 * says whether they are still needed.
 */
export function openPostgres(url: string, poolMax = 10): Database {
  const client = replaceablePool(() =>
    postgres(url, {
      max: poolMax,
      onnotice: () => {},
      connect_timeout: 5,
      idle_timeout: 30,
      // In a server's local zone old timestamps carry offsets in seconds ("+00:19:32"), which
      // JavaScript cannot parse; in UTC every timestamp reads back as it was written.
      connection: { TimeZone: "UTC" },
      // postgres.js reads `socket`, which its types do not list.
      ...({ socket: roomySocket() } as object),
    }),
  );
  const statements = statementCounter();
  const db = withTransactionHooks(drizzle(client, { schema, logger: statements.logger }) as unknown as Db);
  const location = new URL(url);
  location.password = "";
  location.username = "";
  return {
    db,
    engine: "postgres",
    location: location.toString(),
    queryCount: statements.read,
    // postgres.js re-listens after a reconnect and calls the second callback then.
    listen: async (channel, onNotify) => void (await client.listen(channel, onNotify, onNotify)),
    driver: { engine: "postgres", url },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Sockets to the server as postgres.js makes them (its hosts in turn, or a Unix socket), but
 * with room for a batch's statements. postgres.js stops pipelining a transaction's statements
 * once a write finds the socket's buffer full (16 KB by default): each later statement then waits
 * for the one before to finish, and crosses the wire while the server idles. A batch of 5,000
 * claims sends statements of 1 MB and more. Over TLS, postgres.js wraps this socket in one of
 * its own, with the default buffer.
 */
type SocketOptions = { host: string[]; port: number[]; path?: string | false };

function roomySocket(): (options: SocketOptions) => net.Socket {
  let attempt = 0;
  return ({ host, port, path }) => {
    // Node's socket takes the option, which its type does not list.
    const socket = new net.Socket({ writableHighWaterMark: 64 * 1024 * 1024 } as net.SocketConstructorOpts);
    if (path) return socket.connect(path);
    const i = attempt++ % host.length;
    return socket.connect(port[i] ?? port[0]!, host[i]!);
  };
}

type Pool = postgres.Sql;
type PoolFace = Pick<Pool, "options" | "unsafe" | "begin" | "listen" | "end">;
type TxSql = postgres.TransactionSql;

// Too many connections is the server busy, not gone: a new pool would only add to the load.
const lostServer = (err: unknown) => isDatabaseUnavailable(err) && sqlState(err) !== "53300";

/**
 * Drizzle asks postgres.js for an unnamed statement each time. postgres.js sends such a query with
 * parameters in two steps, first asking the server for the parameters' types and only then binding
 * them, and it holds back every later query on that connection meanwhile: each statement costs
 * two round trips, and the statements of a transaction run one after another even when they are
 * sent together. A named statement is prepared once per connection and found again by its text,
 * so later runs take one round trip and pipeline. The app's statements come in a bounded set of
 * shapes (lists go in as one array parameter), so each connection keeps a bounded cache.
 */
function preparing(unsafe: Pool["unsafe"]): Pool["unsafe"] {
  return ((query: string, params?: unknown[], opts?: object) => unsafe(query, params as never, { ...opts, prepare: true })) as Pool["unsafe"];
}

/**
 * When the connection under a transaction is lost, postgres.js still sends ROLLBACK over it, and
 * that write to the dropped socket throws from a timer, where nothing can catch it, ending the
 * process (porsager/postgres#1208). The server has already rolled the transaction back, and
 * begin() fails as soon as the connection closes; so the body's error is held back, and is only
 * passed on if the connection turns out to be alive after all.
 */
function holdingLostErrors(body: (sql: TxSql) => unknown, settled: () => boolean) {
  return (sql: TxSql) => {
    sql.unsafe = preparing(sql.unsafe.bind(sql)) as TxSql["unsafe"];
    const savepoint = sql.savepoint.bind(sql) as (...args: unknown[]) => Promise<unknown>;
    sql.savepoint = ((...args: unknown[]) => {
      const inner = args.pop() as (s: TxSql) => unknown;
      return savepoint(...args, holdingLostErrors(inner, settled));
    }) as TxSql["savepoint"];
    return Promise.resolve()
      .then(() => body(sql))
      .catch((err: unknown) => {
        if (!lostServer(err)) throw err;
        return new Promise<never>((_, reject) => setTimeout(() => settled() || reject(err), 10_000).unref());
      });
  };
}

/**
 * postgres.js 3.4 can leave a pooled connection unable to send anything once the server dropped it
 * in the middle of a write (porsager/postgres#1208): its write timer is never reset, so after an
 * outage the pool fails on for good. Drizzle is given this stand-in instead, which hands each query
 * to the current pool and, when a query finds the server gone, starts a fresh pool for the queries
 * after it; the old one closes once its last query has settled. LISTEN keeps a pool of its own,
 * which postgres.js re-subscribes after reconnecting.
 */
function replaceablePool(connect: () => Pool): Pool {
  let current = connect();
  let listener: Pool | undefined;
  // Drizzle installs its own parsers on the first pool's options; later pools get the same ones.
  const options = current.options;
  const retiring = new Set<Promise<void>>();
  const onLost = (pool: Pool) => (err: unknown) => {
    if (pool !== current || !lostServer(err)) return;
    current = connect();
    Object.assign(current.options.parsers, options.parsers);
    Object.assign(current.options.serializers, options.serializers);
    // Queries still running on the old pool get time to finish before it is closed under them.
    const ending: Promise<void> = pool
      .end({ timeout: 30 })
      .catch(() => {})
      .finally(() => retiring.delete(ending));
    retiring.add(ending);
  };
  const stand: PoolFace = {
    options,
    unsafe: ((...args: Parameters<Pool["unsafe"]>) => {
      const pool = current;
      const query = preparing(pool.unsafe.bind(pool))(...args);
      // postgres.js runs a query when it is awaited, so its outcome is watched through `then`.
      const then = query.then.bind(query);
      query.then = ((onFulfilled, onRejected) =>
        then(onFulfilled, (err: unknown) => {
          onLost(pool)(err);
          if (onRejected) return onRejected(err);
          throw err;
        })) as typeof query.then;
      return query;
    }) as Pool["unsafe"],
    begin: ((...args: unknown[]) => {
      const pool = current;
      const body = args.pop() as (sql: TxSql) => unknown;
      let settled = false;
      const result = (pool.begin as (...a: unknown[]) => Promise<unknown>)(...args, holdingLostErrors(body, () => settled));
      result.then(
        () => (settled = true),
        (err: unknown) => {
          settled = true;
          onLost(pool)(err);
        },
      );
      return result;
    }) as Pool["begin"],
    listen: ((...args: Parameters<Pool["listen"]>) => (listener ??= connect()).listen(...args)) as Pool["listen"],
    async end(endOptions?: { timeout?: number }) {
      // A retired pool may hold a connection that can never finish; closing does not wait past the timeout for it.
      const patience = new Promise<void>((resolve) => setTimeout(resolve, (endOptions?.timeout ?? 5) * 1000).unref());
      await Promise.all([current.end(endOptions), listener?.end(endOptions), Promise.race([Promise.all(retiring), patience])]);
    },
  };
  return stand as Pool;
}
