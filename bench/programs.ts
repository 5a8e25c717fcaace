import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const onPath = (program: string) => (process.env.PATH ?? "").split(":").some((dir) => existsSync(`${dir}/${program}`) || existsSync(`/usr/sbin/${program}`));

/**
 * The Debian packages the bench drives (wrk for load, nginx in front of two instances): installed
 * where missing when this is Debian as root, as the test suite does for its own; elsewhere the run
 * stops at once and names them.
 */
export function requirePrograms(packages: string[]): void {
  const missing = packages.filter((p) => !onPath(p));
  if (missing.length === 0) return;
  const canInstall = existsSync("/etc/debian_version") && process.getuid?.() === 0 && onPath("apt-get");
  if (!canInstall) throw new Error(`The bench needs ${missing.join(" and ")}. On Debian or Ubuntu: sudo apt-get install ${missing.join(" ")}`);
  console.log(`[bench] installing ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: "inherit", env });
}
