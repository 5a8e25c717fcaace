import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabase, testEngine, type TestDatabase } from "@/lib/testing/db";
import { jsonRecords, nextIdRange, nextIds, rows } from "./sql";

let database: TestDatabase;

beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});

describe(`drawing ids and reading rows on ${testEngine()}`, () => {
  it("draws new ids ascending, and a range that the next insert continues after", async () => {
    const { db } = database;
    const drawn = await db.transaction((tx) => nextIds(tx, "outlets", 1_200));
    expect(drawn).toHaveLength(1_200);
    expect(new Set(drawn).size).toBe(1_200);
    expect(drawn).toEqual([...drawn].sort((a, b) => a - b));

    const range = await db.transaction((tx) => nextIdRange(tx, "outlets", 500));
    expect(range[0]).toBeGreaterThan(drawn.at(-1)!);
    expect(range).toEqual(Array.from({ length: 500 }, (_, i) => range[0]! + i));
    const [next] = await rows<{ id: number }>(db, sql`insert into outlets (slug, name) values ('after-the-range', 'After the range') returning id`);
    expect(Number(next!.id)).toBe(range.at(-1)! + 1);
    expect(await db.transaction((tx) => nextIdRange(tx, "outlets", 0))).toEqual([]);
  });

  it("reads rows given as JSON lines with their types, nested JSON included", async () => {
    const records = [
      { id: 1, name: 'Quotes "and" backslashes \\ and\nnew lines', at: "2024-10-15T09:30:00.000Z", payload: { list: [1, "two"], nested: { ok: true } } },
      JSON.stringify({ id: 2, name: null, at: null, payload: null }),
    ];
    const read = await rows<{ id: number; name: string | null; at: Date | string | null; payload: unknown }>(
      database.db,
      sql`select id, name, at, payload from ${jsonRecords(records, sql`r(id int, name text, at timestamptz, payload jsonb)`)} order by id`,
    );
    expect(read.map((r) => ({ ...r, at: r.at === null ? null : new Date(r.at).toISOString() }))).toEqual([
      { id: 1, name: 'Quotes "and" backslashes \\ and\nnew lines', at: "2024-10-15T09:30:00.000Z", payload: { list: [1, "two"], nested: { ok: true } } },
      { id: 2, name: null, at: null, payload: null },
    ]);
  });
});
