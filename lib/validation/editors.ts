import { z } from "zod";
import { roleEnum, tokenScopeEnum } from "@/db/schema";
import { id } from "./common";

// Editors, their sessions and their API tokens: the forms, the first-run setup and the command line.

const email = (message: string) => z.email(message).max(200).transform((e) => e.toLowerCase());
const newPassword = z.string().min(12, "Use at least 12 characters.").max(200);

export const role = z.enum(roleEnum.enumValues, { error: "The role is editor or admin." });
export const tokenScope = z.enum(tokenScopeEnum.enumValues, { error: "The scope is read or write." });

/** A new editor; without a password one is generated and shown once. */
export const editorInput = z.strictObject({
  email: email("Enter an email address."),
  name: z.string().trim().min(1).max(200).optional(),
  role: role.default("editor"),
  password: newPassword.optional(),
});

/** An admin's change to an editor: a new role, or disabled (1) or enabled again (0). */
export const editorChange = z.strictObject({
  _editor: id,
  role: role.optional(),
  disabled: z.enum(["0", "1"]).transform((v) => v === "1").optional(),
});

export const tokenInput = z.strictObject({
  name: z.string().trim().min(1, "Name the token.").max(100),
  scope: tokenScope.default("write"),
});

export const tokenRevocation = z.strictObject({ _token: id });

export const signInInput = z.object({
  email: z.email("Enter your email address.").max(200),
  password: z.string().min(1, "Enter your password.").max(200),
  next: z.string().regex(/^\/editor(\/[^/\\]*)*(\?.*)?$/).catch("/editor"),
});

export const setupInput = z.object({
  code: z.string().trim().min(1, "Enter the code from the server's log.").max(100),
  email: email("Enter an email address."),
  name: z.string().trim().max(200).optional(),
  password: newPassword,
});

export type EditorInput = z.input<typeof editorInput>;
export type EditorChange = z.output<typeof editorChange>;
export type TokenInput = z.input<typeof tokenInput>;
