import { describe, expect, it } from "vitest";
import { clientAddressOf, ownTarget } from "./edge";

describe("which requests are for this site", () => {
  it("serves paths, and absolute targets naming the host the request was sent to, as their paths", () => {
    expect(ownTarget("/stories/x?asOf=2024-10-14", "claimtrail.example")).toBe("/stories/x?asOf=2024-10-14");
    expect(ownTarget("http://claimtrail.example/stories/x?asOf=1", "claimtrail.example")).toBe("/stories/x?asOf=1");
    expect(ownTarget("http://127.0.0.1:3000/api/health", "127.0.0.1:3000")).toBe("/api/health");
    expect(ownTarget("https://Claimtrail.Example/", "claimtrail.example")).toBe("/");
  });

  it("refuses targets naming another host, another port, another scheme, or none", () => {
    expect(ownTarget("http://100.100.100.200/latest/meta-data/", "claimtrail.example")).toBeNull();
    expect(ownTarget("http://claimtrail.example:8080/", "claimtrail.example")).toBeNull();
    expect(ownTarget("ftp://claimtrail.example/", "claimtrail.example")).toBeNull();
    expect(ownTarget("http://claimtrail.example/", undefined)).toBeNull();
    expect(ownTarget("*", "claimtrail.example")).toBeNull();
    expect(ownTarget("claimtrail.example:443", "claimtrail.example")).toBeNull();
    // A Host header that is no host at all is refused, not thrown over.
    expect(ownTarget("http://claimtrail.example/", "claim trail")).toBeNull();
  });
});

describe("the client's address", () => {
  it("is the connection's peer when no proxy is trusted, whatever the header says", () => {
    expect(clientAddressOf("198.51.100.7", "203.0.113.1", 0)).toBe("198.51.100.7");
    expect(clientAddressOf("198.51.100.7", undefined, 0)).toBe("198.51.100.7");
  });

  it("is what the outermost trusted proxy saw, never an entry the client wrote before it", () => {
    // One proxy: it appended the address it was connected from; "203.0.113.1" is the client's own claim.
    expect(clientAddressOf("10.0.0.2", "203.0.113.1, 198.51.100.7", 1)).toBe("198.51.100.7");
    expect(clientAddressOf("10.0.0.2", ["203.0.113.1", "198.51.100.7"], 1)).toBe("198.51.100.7");
    // Two proxies: the outer one wrote the client, the inner one the outer's address.
    expect(clientAddressOf("10.0.0.3", "203.0.113.1, 198.51.100.7, 10.0.0.2", 2)).toBe("198.51.100.7");
    // Fewer entries than proxies: the first there is.
    expect(clientAddressOf("10.0.0.3", "198.51.100.7", 2)).toBe("198.51.100.7");
    // No header at all behind a proxy: the peer is all there is.
    expect(clientAddressOf("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
  });
});
