import { Cite } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import "@citation-js/plugin-ris";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as cite } from "@/app/api/claims/[id]/cite/route";
import { call } from "@/lib/testing/http";
import { seededTestDatabase, type TestDatabase } from "@/lib/testing/db";
import { citeClaim, cslOf, referenceOf } from "./citation";
import { readClaim } from "./index";

const PERMALINK = "https://claimtrail.example/claims/4";

let database: TestDatabase;
beforeAll(async () => {
  database = await seededTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const parsedBack = (text: string) => new Cite(text).data[0]!;

describe("citations of a claim", () => {
  it("carry the document's address, outlet, dates, the quote and the permalink", async () => {
    const { claim } = await readClaim(4);
    const item = cslOf(claim, PERMALINK);
    expect(item).toMatchObject({
      type: "article-newspaper",
      title: claim.document.title,
      "container-title": "ComicBook",
      URL: claim.document.url,
      issued: { "date-parts": [[2024, 10, 14]] },
    });
    expect(item.note).toContain(`“${claim.quote}”`);
    expect(item.note).toContain(PERMALINK);
    expect(referenceOf(claim, PERMALINK)).toBe(`${claim.document.title}. (2024, October 14). ComicBook. ${claim.document.url}`);
  });

  it.each(["csl-json", "bibtex", "ris"] as const)("in %s, parse back with citation-js to the same fields", async (format) => {
    const { claim } = await readClaim(4);
    const item = cslOf(claim, PERMALINK);
    const back = parsedBack(citeClaim(claim, PERMALINK, format));
    expect(back.title).toBe(item.title);
    expect(back.URL).toBe(item.URL);
    expect(back.publisher).toBe("ComicBook");
    expect(back.issued).toEqual(item.issued);
    expect(back.note).toContain(item.note);
    // BibTeX has no field for it, so the access date goes in its note.
    if (format === "bibtex") expect(back.note).toContain(`accessed ${claim.createdAt.getUTCDate()}`);
    else expect(back.accessed).toEqual(item.accessed);
    if (format !== "ris") expect(back["container-title"]).toBe("ComicBook");
  });

  it("are served with their media type, and an unknown format is refused", async () => {
    const ris = await call(cite, { url: "/api/claims/4/cite?format=ris", params: { id: 4 } });
    expect(ris.status).toBe(200);
    expect(ris.headers.get("content-type")).toBe("application/x-research-info-systems; charset=utf-8");
    expect(ris.body).toMatch(/^TY {2}- ELEC\r\n/);
    expect(ris.body).toContain("http://localhost/claims/4");
    const csl = await call(cite, { url: "/api/claims/4/cite", params: { id: 4 } });
    expect(csl.body[0].id).toBe("claimtrail-claim-4");
    const bad = await call(cite, { url: "/api/claims/4/cite?format=word", params: { id: 4 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.format[0]).toBe("The format must be one of csl-json, bibtex, ris.");
    expect((await call(cite, { url: "/api/claims/999/cite", params: { id: 999 } })).status).toBe(404);
  });
});
