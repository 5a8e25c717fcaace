/**
 * The demo story: who reshot Ballerina, and how ComicBook's relay of The Wrap changed a day later.
 * Statements are in Claimtrail's words; each quote is a short excerpt of the outlet's article,
 * and ComicBook's two versions hold only the excerpts the claims quote, with its address.
 */
export const DEMO_STORY = {
  slug: "who-reshot-ballerina",
  title: "Who reshot Ballerina?",
  summary:
    "The Wrap reported that Chad Stahelski reshot most of the John Wick spin-off Ballerina over two to three months; a day later ComicBook updated its relay: Len Wiseman led the additional photography, which lasted under a month.",
};

export const DEMO_SOURCES = {
  wrap: {
    outlet: { name: "The Wrap", homepage: "https://www.thewrap.com/" },
    title: "Chad Stahelski reshot most of Ballerina, insider says",
    publishedAt: "2024-10-14",
  },
  comicbook: {
    outlet: { name: "ComicBook", homepage: "https://comicbook.com/" },
    url: "https://comicbook.com/movies/news/ballerina-john-wick-spinoff-reshoots-report-chad-stahelski/",
    title: "Ballerina: John Wick director Chad Stahelski reportedly reshot most of the spin-off",
    publishedAt: "2024-10-14",
  },
};

/** ComicBook's relay as first published on 14 October 2024: the passages that relay The Wrap. */
const RELAY = [
  "According to a new report from The Wrap, Stahelski was involved with reshooting “most of the movie,” after director Len Wiseman’s initial cut did not meet expectations. This reportedly involved a two-to-three-month overseas shoot […]",
  "“Of course Chad had to clean up someone else’s mess. Remember, this film is basically John Wick 3.5,” an insider says in the report.",
].join("\n\n");

/** The note ComicBook put above its relay on 15 October 2024, in the excerpts the claims quote. */
const UPDATE =
  "Update: ComicBook has learned that Ballerina director Len Wiseman led additional photography for the film […] Stahelski only covered some scenes of the additional photography after Wiseman suffered a serious health issue and was briefly hospitalized. This additional photography only spanned less than one month […] Our original story is as follows.";

export const DEMO_VERSIONS = { original: RELAY, updated: `${UPDATE}\n\n${RELAY}` };
