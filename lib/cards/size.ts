/** The size of a share card, the one Open Graph consumers expect; pages name it without loading the renderer. */
export const CARD = { width: 1200, height: 630 } as const;
