// citation-js ships no types; this covers the part of its API Claimtrail uses (version 0.8).
declare module "@citation-js/core" {
  export type CslDate = { "date-parts": [number, number?, number?][] };
  export type CslItem = {
    id: string;
    type: string;
    title?: string;
    "container-title"?: string;
    publisher?: string;
    URL?: string;
    issued?: CslDate;
    accessed?: CslDate;
    note?: string;
    author?: { literal?: string; family?: string; given?: string }[];
    [field: string]: unknown;
  };
  export class Cite {
    constructor(data: unknown);
    data: CslItem[];
    format(format: "bibtex" | "biblatex" | "data"): string;
    format(format: "ris", options: { format: "object"; spec?: "new" | "old" | "mixed" }): Record<string, string | string[]>[];
    format(format: "bibliography", options: { template: string; format: "text" | "html"; lang?: string }): string;
  }
}
declare module "@citation-js/plugin-bibtex";
declare module "@citation-js/plugin-csl";
declare module "@citation-js/plugin-ris";
