import { parseArgs } from "node:util";
import type { z } from "zod";
import { systemActor } from "@/lib/audit";
import { createEditor, getEditorByEmail, listEditors } from "@/lib/auth/editors";
import { createToken, revokeToken } from "@/lib/auth/tokens";
import { editorInput, id, tokenInput } from "@/lib/validation";
import { main, withDatabase } from "./run";

const usage = `Usage:
  npm run editors -- add <email> --role editor|admin   create an editor; prints a generated password once
  npm run editors -- token <email> [--name <label>] [--scope read|write]   prints a new API token once
  npm run editors -- revoke <token-id>                 revoke a token
  npm run editors -- list                              editors and their tokens`;

const actor = systemActor("cli");

/** Parses a command's arguments with the same schema the forms use; a failure is one line per problem. */
function parse<S extends z.ZodType>(schema: S, input: unknown, hint?: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new Error(hint ?? parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`).join("\n"));
}

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
  const known = ["add", "token", "revoke", "list"];
  if (!known.includes(command)) throw new Error(`Unknown command "${command}".\n${usage}`);
  if (command !== "list" && !arg) throw new Error(usage);
  // Arguments are checked before the database is opened.
  const add = command === "add" ? parse(editorInput, { email: arg, ...(values.role !== undefined && { role: values.role }) }) : null;
  const token = command === "token" ? parse(tokenInput, { name: values.name ?? "cli", ...(values.scope !== undefined && { scope: values.scope }) }) : null;
  const revoke = command === "revoke" ? parse(id, arg, "revoke takes a token id (see `npm run editors -- list`).") : null;

  await withDatabase(async ({ db }) => {
    if (add) {
      const { editor, password } = await createEditor(db, actor, add);
      console.log(`Created ${editor.role} ${editor.email} (id ${editor.id}).\nPassword (shown once): ${password}`);
    } else if (token) {
      const editor = await getEditorByEmail(db, arg!);
      const issued = await createToken(db, actor, editor.id, token);
      console.log(`Token ${issued.id} for ${editor.email} (shown once):\n${issued.secret}`);
    } else if (revoke !== null) {
      await revokeToken(db, actor, revoke);
      console.log(`Revoked token ${revoke}.`);
    } else {
      for (const e of await listEditors(db)) {
        console.log(`${e.id}\t${e.email}\t${e.role}${e.disabledAt ? "\tdisabled" : ""}`);
        for (const t of e.tokens) console.log(`\ttoken ${t.id}\t${t.name}\t${t.scope}${t.revokedAt ? "\trevoked" : ""}`);
      }
    }
  });
});
