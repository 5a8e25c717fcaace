import iconv from "iconv-lite";

// A page's bytes as text, in the encoding it declares. Node's own TextDecoder reads
// windows-1252 as Latin-1 (curly quotes come out as control characters), so iconv-lite decodes.

// Labels that browsers read as windows-1252, as the Encoding Standard says they must.
const WINDOWS_1252 = new Set(["latin1", "iso-8859-1", "iso8859-1", "l1", "ascii", "us-ascii", "iso_8859-1", "cp1252", "windows-1252", "x-cp1252", "cp819", "ibm819"]);

const label = (raw: string | null | undefined): string | null => {
  const name = raw?.trim().replace(/^["']|["']$/g, "").toLowerCase();
  if (!name) return null;
  if (WINDOWS_1252.has(name)) return "windows-1252";
  return iconv.encodingExists(name) ? name : null;
};

/** The charset a Content-Type header names, if iconv-lite knows it. */
export const headerCharset = (contentType: string | null): string | null => label(/charset\s*=\s*("[^"]*"|'[^']*'|[^;\s]+)/i.exec(contentType ?? "")?.[1]);

function bomCharset(bytes: Buffer): { charset: string; skip: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: "utf-8", skip: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: "utf-16le", skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: "utf-16be", skip: 2 };
  return null;
}

/** `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">` in the first 1,024 bytes, as browsers look. */
function metaCharset(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 1024).toString("latin1");
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?([^"'\s/>;]+)/i.exec(tag)?.[1];
    const found = label(direct);
    if (found) return found;
  }
  return null;
}

const isUtf8 = (bytes: Buffer) => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/**
 * Decodes an HTML page: a byte-order mark first, then the Content-Type header's charset, then a
 * meta declaration; undeclared, UTF-8 when the bytes are valid UTF-8, else windows-1252.
 */
export function decodeHtml(bytes: Buffer, contentType: string | null): { text: string; charset: string } {
  const bom = bomCharset(bytes);
  const charset = bom?.charset ?? headerCharset(contentType) ?? metaCharset(bytes) ?? (isUtf8(bytes) ? "utf-8" : "windows-1252");
  return { text: iconv.decode(bom ? bytes.subarray(bom.skip) : bytes, charset), charset };
}

/** Decodes other text (robots.txt, a feed's XML is parsed from its bytes): the header's charset, else UTF-8. */
export function decodeText(bytes: Buffer, contentType: string | null): string {
  const bom = bomCharset(bytes);
  return iconv.decode(bom ? bytes.subarray(bom.skip) : bytes, bom?.charset ?? headerCharset(contentType) ?? "utf-8");
}
