import { describe, expect, it } from "vitest";
import { hostOf, normalizeUrl } from "./urls";

describe("normalizeUrl", () => {
  it("accepts only absolute http and https URLs", () => {
    expect(normalizeUrl("http://example.com/a")).toBe("http://example.com/a");
    expect(normalizeUrl("https://example.com/a")).toBe("https://example.com/a");
    for (const bad of ["/news/story", "example.com/story", "//example.com/story", "", "not a url"]) {
      expect(() => normalizeUrl(bad), bad).toThrow(new TypeError("URL must be absolute, starting with http:// or https://."));
    }
    expect(() => normalizeUrl("javascript:alert(1)")).toThrow(TypeError);
    expect(() => normalizeUrl("javascript:alert(1)")).toThrow('URL scheme "javascript:" is not allowed');
    expect(() => normalizeUrl("data:text/html,<p>hi</p>")).toThrow('URL scheme "data:" is not allowed');
    expect(() => normalizeUrl("ftp://example.com/file")).toThrow(TypeError);
    expect(() => normalizeUrl("mailto:desk@example.com")).toThrow(TypeError);
  });

  it("lower-cases scheme and host but keeps the path as written", () => {
    expect(normalizeUrl("HTTPS://News.Example.COM/World/Story-ABC")).toBe("https://news.example.com/World/Story-ABC");
  });

  it("drops default ports and keeps others", () => {
    expect(normalizeUrl("https://example.com:443/a")).toBe("https://example.com/a");
    expect(normalizeUrl("http://example.com:80/a")).toBe("http://example.com/a");
    expect(normalizeUrl("https://example.com:8443/a")).toBe("https://example.com:8443/a");
    expect(normalizeUrl("http://example.com:443/a")).toBe("http://example.com:443/a");
  });

  it("drops the fragment, even an empty one", () => {
    expect(normalizeUrl("https://example.com/a#comments")).toBe("https://example.com/a");
    expect(normalizeUrl("https://example.com/a#")).toBe("https://example.com/a");
    expect(normalizeUrl("https://example.com/a?x=1#top")).toBe("https://example.com/a?x=1");
  });

  it("removes tracking parameters, whatever their case", () => {
    expect(
      normalizeUrl(
        "https://example.com/a?utm_source=tw&utm_medium=social&UTM_Campaign=x&utm_whatever=1&fbclid=abc&gclid=1&dclid=2&msclkid=3&yclid=4&mc_cid=5&mc_eid=6&igshid=7&ref_src=twsrc&_ga=8&ocid=9&cmpid=10&smid=11&id=42",
      ),
    ).toBe("https://example.com/a?id=42");
  });

  it("keeps parameters that merely look like tracking", () => {
    expect(normalizeUrl("https://example.com/a?ref=home&source=rss&utm=1&page=2")).toBe("https://example.com/a?page=2&ref=home&source=rss&utm=1");
  });

  it("sorts the remaining parameters by name, keeping repeated names in order", () => {
    expect(normalizeUrl("https://example.com/search?q=vote&b=2&a=1")).toBe("https://example.com/search?a=1&b=2&q=vote");
    expect(normalizeUrl("https://example.com/t?tag=b&id=1&tag=a")).toBe("https://example.com/t?id=1&tag=b&tag=a");
  });

  it("keeps parameter encoding as written", () => {
    expect(normalizeUrl("https://example.com/s?q=a%20b&path=x/y&plus=a+b")).toBe("https://example.com/s?path=x/y&plus=a+b&q=a%20b");
  });

  it("drops an empty query and empty pairs", () => {
    expect(normalizeUrl("https://example.com/a?")).toBe("https://example.com/a");
    expect(normalizeUrl("https://example.com/a?utm_source=x")).toBe("https://example.com/a");
    expect(normalizeUrl("https://example.com/a?&b=1&&a=2&")).toBe("https://example.com/a?a=2&b=1");
  });

  it("gives a bare host a single slash and leaves other trailing slashes alone", () => {
    expect(normalizeUrl("https://example.com")).toBe("https://example.com/");
    expect(normalizeUrl("https://example.com/")).toBe("https://example.com/");
    expect(normalizeUrl("https://example.com?utm_source=x#top")).toBe("https://example.com/");
    expect(normalizeUrl("https://example.com/news/")).toBe("https://example.com/news/");
    expect(normalizeUrl("https://example.com/news")).toBe("https://example.com/news");
  });

  it("drops credentials", () => {
    expect(normalizeUrl("https://user:secret@example.com/a")).toBe("https://example.com/a");
  });

  it("trims surrounding whitespace", () => {
    expect(normalizeUrl("  https://example.com/a \n")).toBe("https://example.com/a");
  });

  it("gives one string for every spelling of the same article", () => {
    const spellings = [
      "https://www.example.com/2025/06/story?id=7&page=2",
      "https://www.example.com/2025/06/story?page=2&id=7",
      "HTTPS://WWW.EXAMPLE.COM:443/2025/06/story?utm_source=newsletter&page=2&id=7#comments",
      "https://www.example.com/2025/06/story?fbclid=IwAR0abc&id=7&utm_medium=social&page=2&gclid=xyz#",
      "https://www.example.com/2025/06/story?id=7&smid=tw-share&page=2&",
    ];
    const normalized = new Set(spellings.map(normalizeUrl));
    expect([...normalized]).toEqual(["https://www.example.com/2025/06/story?id=7&page=2"]);
  });

  it("is idempotent", () => {
    const once = normalizeUrl("HTTPS://Example.com:443/A/b/?z=1&utm_source=x&a=%7E&q=a+b#frag");
    expect(normalizeUrl(once)).toBe(once);
  });
});

describe("hostOf", () => {
  it("gives the lower-case host without www. or port", () => {
    expect(hostOf("https://WWW.Example.com/a")).toBe("example.com");
    expect(hostOf("http://news.example.co.uk:8080/a")).toBe("news.example.co.uk");
    expect(hostOf("https://www2.example.com/")).toBe("www2.example.com");
    expect(hostOf("https://wwwexample.com/")).toBe("wwwexample.com");
  });

  it("rejects what normalizeUrl rejects", () => {
    expect(() => hostOf("/relative")).toThrow(TypeError);
    expect(() => hostOf("javascript:alert(1)")).toThrow(TypeError);
  });
});
