import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, rows, type Database, type Tx } from "@/db";
import { documents, stories } from "@/db/schema";
import { systemActor } from "@/lib/audit";
import { createDocument, getDocument } from "@/lib/documents";
import { testDatabase, testEngine } from "@/lib/testing/db";
import { documentInput } from "@/lib/validation";

// On PostgreSQL the server is put in a zone other than UTC, as Debian's packages set it up by
// default: there, old timestamps come out with local-mean-time offsets in seconds ("+00:19:32").
describe(`dates read back as written, on ${testEngine()}`, () => {
  const name = `ct_test_tz_${randomBytes(5).toString("hex")}`;
  let database: Database;
  let admin: postgres.Sql | undefined;

  beforeAll(async () => {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) {
      database = await testDatabase();
      return;
    }
    admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.unsafe(`alter database ${name} set timezone to 'Europe/Amsterdam'`);
    const url = Object.assign(new URL(base), { pathname: `/${name}` }).toString();
    database = await openDatabase({ url });
    await migrateDatabase(database, url);
  });
  afterAll(async () => {
    await database?.close();
    if (admin) {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it.each(["1920-05-01", "1850-06-15T12:34:56.789Z", "1000-01-01", "2024-10-14T22:30:00+02:00", "9999-12-31T23:59:59.999Z"])("%s", async (publishedAt) => {
    const expected = documentInput.parse({ outlet: "x", title: "x", publishedAt }).publishedAt.date.toISOString();
    const { document } = await createDocument(database.db, systemActor("test"), documentInput.parse({ outlet: { name: "Het Archief" }, title: `From ${publishedAt}`, publishedAt }));
    expect(document.publishedAt.toISOString()).toBe(expected);
    expect((await getDocument(database.db, document.id)).publishedAt.toISOString()).toBe(expected);
  });
});

if (testEngine() === "postgres") describe("statements on PostgreSQL", () => {
  let database: Database;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  // Prepared statements are what let a transaction's statements share one round trip.
  it("are prepared once per connection and reused with new parameters, in savepoints too", async () => {
    const prepared = (tx: Tx, table: string) => rows<{ statement: string }>(tx, sql`select statement from pg_prepared_statements where statement like ${`%from "${table}"%`}`);
    const [inTransaction, inSavepoint] = await database.db.transaction(async (tx) => {
      for (const slug of ["first", "second", "third"]) await tx.select({ id: stories.id }).from(stories).where(eq(stories.slug, slug));
      const nested = await tx.transaction(async (savepoint) => {
        for (const id of [1, 2]) await savepoint.select({ id: documents.id }).from(documents).where(eq(documents.id, id));
        return prepared(savepoint, "documents");
      });
      return [await prepared(tx, "stories"), nested];
    });
    expect(inTransaction).toHaveLength(1);
    expect(inTransaction[0]?.statement).toMatch(/where "stories"."slug" = \$1/);
    expect(inSavepoint).toHaveLength(1);
    expect(inSavepoint[0]?.statement).toMatch(/where "documents"."id" = \$1/);
  });
});
