// Text for XML documents (feeds, SVG pictures), escaped once for every writer of them.

// Everything outside XML 1.0's Char production: C0 controls but tab and line breaks, lone
// surrogates, U+FFFE and U+FFFF. No parser accepts them, escaped or not, so they are dropped.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const xmlSafe = (text: string) => text.replace(NOT_XML_CHAR, "");

/** Character data: a carriage return is escaped, or the parser would turn it into a line feed. */
export const xmlText = (text: string) => xmlSafe(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");

/** Attribute values: tabs and line breaks are escaped, or the parser would turn them into spaces. */
export const xmlAttr = (text: string) => xmlText(text).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
