import { parseArgs } from "node:util";
import { main, withDatabase } from "@/db/cli/run";
import { systemActor } from "@/lib/audit";
import { createEditor, getEditorByEmail, listEditors } from "@/lib/auth/editors";
import { createToken, revokeToken } from "@/lib/auth/tokens";

const usage = `Usage:
  npm run editors -- add <email> --role editor|admin   create an editor; prints a generated password once
  npm run editors -- token <email> [--name <label>] [--scope read|write]   prints a new API token once
  npm run editors -- revoke <token-id>                 revoke a token
  npm run editors -- list                              editors and their tokens`;

const actor = systemActor("cli");

main(async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: "string" }, name: { type: "string" }, scope: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const [command, arg] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return;
  }
  await withDatabase(async ({ db }) => {
    switch (command) {
      case "add": {
        if (!arg) throw new Error(usage);
        if (values.role !== undefined && values.role !== "editor" && values.role !== "admin") throw new Error("--role is editor or admin.");
        const { editor, password } = await createEditor(db, actor, { email: arg, role: (values.role as "editor" | "admin") ?? "editor" });
        console.log(`Created ${editor.role} ${editor.email} (id ${editor.id}).\nPassword (shown once): ${password}`);
        return;
      }
      case "token": {
        if (!arg) throw new Error(usage);
        if (values.scope !== undefined && values.scope !== "read" && values.scope !== "write") throw new Error("--scope is read or write.");
        const editor = await getEditorByEmail(db, arg);
        const token = await createToken(db, actor, editor.id, values.name ?? "cli", (values.scope as "read" | "write") ?? "write");
        console.log(`Token ${token.id} for ${editor.email} (shown once):\n${token.secret}`);
        return;
      }
      case "revoke": {
        const id = Number(arg);
        if (!Number.isInteger(id) || id <= 0) throw new Error("revoke takes a token id (see `npm run editors -- list`).");
        await revokeToken(db, actor, id);
        console.log(`Revoked token ${id}.`);
        return;
      }
      case "list": {
        for (const e of await listEditors(db)) {
          console.log(`${e.id}\t${e.email}\t${e.role}${e.disabledAt ? "\tdisabled" : ""}`);
          for (const t of e.tokens) console.log(`\ttoken ${t.id}\t${t.name}\t${t.scope}${t.revokedAt ? "\trevoked" : ""}`);
        }
        return;
      }
      default:
        throw new Error(`Unknown command "${command}".\n${usage}`);
    }
  });
});
