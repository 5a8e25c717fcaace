// Documents are deduplicated by URL, so every spelling of one article's address has to
// come out as the same string: the parser already lower-cases scheme and host and drops
// default ports; the rest is done here.

// Parameters that record how a reader arrived rather than what they are reading. Only
// names known to be tracking are listed: a generic name such as `ref` or `source` may
// select content on some site, and stripping it would merge different documents.
const TRACKING_PARAMS = new Set([
  "fbclid",
  "gclid",
  "dclid",
  "gbraid",
  "wbraid",
  "msclkid",
  "yclid",
  "twclid",
  "igshid",
  "mc_cid",
  "mc_eid",
  "_ga",
  "_gl",
  "_hsenc",
  "_hsmi",
  "mkt_tok",
  "ref_src",
  "ocid",
  "cmpid",
  "smid",
]);
const TRACKING_PREFIX = "utm_";

function parseHttpUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new TypeError("URL must be absolute, starting with http:// or https://.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`URL scheme "${url.protocol}" is not allowed; only http and https are accepted.`);
  }
  return url;
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
}

const isTracking = (name: string) => {
  const lower = name.toLowerCase();
  return lower.startsWith(TRACKING_PREFIX) || TRACKING_PARAMS.has(lower);
};

/**
 * The canonical form of a document's address.
 *
 * A bare host always ends in "/" (`https://a.com` → `https://a.com/`), as the URL standard
 * serialises it. Any other path is kept exactly, trailing slash and case included: servers
 * are free to treat `/news` and `/news/`, or `/A` and `/a`, as different pages.
 *
 * @throws TypeError for anything but an absolute http or https URL.
 */
export function normalizeUrl(input: string): string {
  const url = parseHttpUrl(input);
  // Credentials never identify a document, and must not end up in a public record.
  url.username = "";
  url.password = "";
  url.hash = "";

  // Pairs are kept as written rather than rebuilt through URLSearchParams, which would
  // re-encode them (spaces as "+", "/" as "%2F") and could change what the server sees.
  const pairs = url.search
    .slice(1)
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => ({ pair, name: decodeName(pair.split("=", 1)[0]!) }))
    .filter(({ name }) => !isTracking(name));
  // Sorted by name only, and stably: the order of repeated names (`tag=a&tag=b`) can be
  // meaningful to the server, the order of different names is not.
  pairs.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  url.search = pairs.map(({ pair }) => pair).join("&");
  return url.href;
}

/** The lower-case host name without port or a leading "www.", to group URLs by site. */
export function hostOf(url: string): string {
  return parseHttpUrl(url).hostname.replace(/^www\./, "");
}
