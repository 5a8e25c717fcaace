import fs from "node:fs";
import { openDatabase, migrateDatabase } from "@/db";
import { systemActor } from "@/lib/audit";
import { createEditor } from "@/lib/auth/editors";
import { createSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { createToken } from "@/lib/auth/tokens";
import { EDITOR_ADMIN } from "./accounts";

/**
 * Before the editors' test server starts on its own embedded database: an admin whose password
 * the tests know, a session for them (so a test starts signed in without spending sign-in
 * attempts) and a write token for the fixtures, written to `<out>` for the tests to read.
 *
 * Usage: node --import tsx e2e/prepare-editor-server.ts <pglite-folder> <out.json>
 */
const [folder, out] = process.argv.slice(2);
const database = await openDatabase({ dir: folder! });
try {
  await migrateDatabase(database);
  const { editor } = await createEditor(database.db, systemActor("e2e"), { ...EDITOR_ADMIN, role: "admin" });
  const session = await createSession(database.db, editor);
  const token = await createToken(database.db, systemActor("e2e"), editor.id, { name: "e2e fixtures", scope: "write" });
  fs.writeFileSync(out!, JSON.stringify({ cookie: { name: SESSION_COOKIE, value: session.value }, token: token.secret }));
} finally {
  await database.close();
}
