import net from "node:net";
import ipaddr from "ipaddr.js";

// Which network addresses the watcher may connect to. Addresses come from editors and from feeds,
// so a URL must not reach the machine itself, the network it sits in, or a cloud's metadata service.

/** Cloud metadata services: never fetched, whatever CAPTURE_ALLOW_PRIVATE_HOSTS says. */
const METADATA = new Set(["169.254.169.254", "fd00:ec2::254", "100.100.100.200", "169.254.170.2"]);

/** The address rule in force: public addresses only, or private ones too (all, or those of these hosts). */
export type AddressPolicy = { allowPrivate: "none" | "all" | Set<string> };

export function addressPolicy(setting: string): AddressPolicy {
  if (setting === "0") return { allowPrivate: "none" };
  if (setting === "1") return { allowPrivate: "all" };
  return { allowPrivate: new Set(setting.toLowerCase().split(",")) };
}

const normalised = (address: string) => {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed;
};

/**
 * Why an address may not be connected to, or null when it may. `host` is the URL's host name (or
 * address) as written, which a list in CAPTURE_ALLOW_PRIVATE_HOSTS names.
 */
export function refusedAddress(address: string, host: string, policy: AddressPolicy): string | null {
  if (!net.isIP(address)) return `${address} is not an address`;
  const parsed = normalised(address);
  const canonical = parsed.toString();
  if (METADATA.has(canonical)) return `${canonical} is a cloud metadata address`;
  const range = parsed.range();
  if (range === "unicast") return null;
  if (policy.allowPrivate === "all") return null;
  if (policy.allowPrivate !== "none" && policy.allowPrivate.has(host.toLowerCase())) return null;
  return `${canonical} is a ${range.replace(/([A-Z])/g, " $1").toLowerCase()} address`;
}
