import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// Debian's Chromium where it exists (no browser downloads here); Playwright's own elsewhere.
const chromiumPath = process.env.CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
// The browser tests get embedded databases of their own, never the developer's: one with the
// demo story for readers; one for editors, prepared with an admin, a session and a token that the
// fixtures use (e2e/fixtures.ts); and an empty one whose log gives the first-run setup code.
const dataDir = process.env.E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "claimtrail-e2e-"));
const editorPort = port + 1;
const setupPort = port + 2;
process.env.E2E_DATA_DIR = dataDir;
process.env.E2E_EDITOR_URL = `http://127.0.0.1:${editorPort}`;
process.env.E2E_EDITOR_PREPARED = path.join(dataDir, "editor-prepared.json");
process.env.E2E_SETUP_URL = `http://127.0.0.1:${setupPort}`;
process.env.E2E_SETUP_LOG = path.join(dataDir, "setup-server.log");

export default defineConfig({
  testDir: "e2e",
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  reporter: "list",
  use: {
    baseURL,
    trace: "on-first-retry",
    launchOptions: {
      executablePath: chromiumPath,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined } },
  ],
  webServer: [
    {
      command: `exec bash scripts/start.sh -p ${port} -H 127.0.0.1`,
      url: `${baseURL}/api/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      env: { PGLITE_DIR: path.join(dataDir, "reader"), DATABASE_URL: "", SEED_ON_START: "1" },
    },
    {
      command: `node --import tsx e2e/prepare-editor-server.ts "${path.join(dataDir, "editor")}" "${process.env.E2E_EDITOR_PREPARED}" && exec bash scripts/start.sh -p ${editorPort} -H 127.0.0.1`,
      url: `${process.env.E2E_EDITOR_URL}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: { PGLITE_DIR: path.join(dataDir, "editor"), DATABASE_URL: "", SEED_ON_START: "0" },
    },
    {
      // Its log is read by the first-run test, which needs the setup code printed there.
      command: `exec bash scripts/start.sh -p ${setupPort} -H 127.0.0.1 > "${process.env.E2E_SETUP_LOG}" 2>&1`,
      url: `${process.env.E2E_SETUP_URL}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: { PGLITE_DIR: path.join(dataDir, "setup"), DATABASE_URL: "", SEED_ON_START: "0" },
    },
  ],
});
