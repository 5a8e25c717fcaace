/** The admin of the editors' test server, made before it starts (e2e/prepare-editor-server.ts). */
export const EDITOR_ADMIN = { email: "admin@newsroom.test", password: "a long admin passphrase" };
