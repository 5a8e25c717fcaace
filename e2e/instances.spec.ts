import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { startNginx } from "../deploy/nginx";
import { openDatabase, migrateDatabase } from "@/db";
import { systemActor } from "@/lib/audit";
import { createEditor } from "@/lib/auth/editors";
import { createToken } from "@/lib/auth/tokens";
import { seed } from "@/lib/seed";
import { failSignIn, SEED_SLUG, startOwnServer, STORY } from "./helpers";

// Two instances of `npm start` on one PostgreSQL database, with nginx in front of them as
// deploy/nginx.conf sets it up (TRUST_PROXY_HOPS=1): what one instance writes, the other serves
// at once, and limits count every instance's attempts together.
const server = process.env.E2E_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const firstPort = Number(new URL(process.env.E2E_SETUP_URL!).port) + 6;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-instances-"));
const database = `ct_test_instances_${process.pid}_${Date.now()}`;
const admin = postgres(server, { onnotice() {}, max: 1 });
const stops: (() => void)[] = [];
let a: string;
let b: string;
let balancer: string;
let token: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await admin.unsafe(`create database ${database}`);
  const url = new URL(server);
  url.pathname = `/${database}`;
  const prepared = await openDatabase({ url: url.toString() });
  try {
    await migrateDatabase(prepared, url.toString());
    await seed(prepared.db);
    const { editor } = await createEditor(prepared.db, systemActor("e2e"), { email: "instances@claimtrail.test", name: "Two instances" });
    token = (await createToken(prepared.db, systemActor("e2e"), editor.id, { name: "instances", scope: "write" })).secret;
  } finally {
    await prepared.close();
  }
  const env = { DATABASE_URL: url.toString(), TRUST_PROXY_HOPS: "1" };
  const [first, second] = await Promise.all([startOwnServer(firstPort, env), startOwnServer(firstPort + 1, env)]);
  stops.push(first.stop, second.stop);
  [a, b] = [first.url, second.url];
  const nginx = await startNginx({ dir: path.join(dir, "nginx"), listen: firstPort + 2, instances: [new URL(a).host, new URL(b).host] });
  stops.push(nginx.stop);
  balancer = nginx.url;
});

test.afterAll(async () => {
  for (const stop of stops) stop();
  await admin.unsafe(`drop database if exists ${database} with (force)`).catch(() => {});
  await admin.end();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a claim written through one instance is on the other's page and feed, which it had in memory", async ({ request }) => {
  // Both read once, so that both are served from the cache before the write.
  for (const path of [STORY, `${STORY}/feed.json`]) {
    expect((await request.get(`${a}${path}`)).status()).toBe(200);
    expect((await request.get(`${a}${path}`)).status()).toBe(200);
  }
  const story = (await (await request.get(`${a}/api/stories/${SEED_SLUG}`)).json()) as { claims: { document: { id: number } }[] };
  const text = `Written through the second instance at ${Date.now()}`;
  const created = await request.post(`${b}/api/stories/${SEED_SLUG}/claims`, {
    headers: { authorization: `Bearer ${token}` },
    data: { documentId: story.claims[0]!.document.id, text },
  });
  expect(created.status()).toBe(201);
  // The other instance hears of the write through PostgreSQL's NOTIFY, a moment after the commit.
  await expect.poll(async () => (await (await request.get(`${a}${STORY}`)).text()).includes(text), { timeout: 5_000 }).toBe(true);
  await expect.poll(async () => (await (await request.get(`${a}${STORY}/feed.json`)).text()).includes(text), { timeout: 5_000 }).toBe(true);
});

test("sign-in attempts count against one limit whichever instance takes them", async ({ browser }) => {
  // Two dozen sign-ins, each in a browser of its own and checked by a deliberately slow hash.
  test.setTimeout(180_000);
  // As nginx would forward them for one client at 198.51.100.7, ten to each instance.
  const forwarded = { "X-Forwarded-For": "198.51.100.7" };
  for (let i = 1; i <= 20; i++) expect(await failSignIn(browser, i % 2 ? a : b, `split${i}@example.org`, forwarded)).toContain("do not match");
  expect(await failSignIn(browser, a, "split21@example.org", forwarded)).toContain("Too many attempts");
  expect(await failSignIn(browser, b, "split22@example.org", forwarded)).toContain("Too many attempts");
  // Another client is not held back by it.
  expect(await failSignIn(browser, b, "split23@example.org", { "X-Forwarded-For": "198.51.100.8" })).toContain("do not match");
});

test("behind nginx, the address nginx saw counts, not the one the client wrote", async ({ browser }) => {
  test.setTimeout(180_000);
  for (let i = 1; i <= 20; i++) expect(await failSignIn(browser, balancer, `nginx${i}@example.org`, { "X-Forwarded-For": `203.0.113.${i}` })).toContain("do not match");
  expect(await failSignIn(browser, balancer, "nginx21@example.org", { "X-Forwarded-For": "203.0.113.99" })).toContain("Too many attempts");
});

test("nginx serves the reader pages from both instances with their headers", async ({ request }) => {
  for (let i = 0; i < 4; i++) {
    const res = await request.get(`${balancer}${STORY}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-security-policy"]).toContain("script-src 'none'");
    expect(await res.text()).toContain(`${balancer}${STORY}`);
  }
});
