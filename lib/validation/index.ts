// Every input Claimtrail accepts, one file per area: the forms, the server actions, the API
// routes (which OpenAPI is generated from) and the command line all parse with these.
export * from "./audit";
export * from "./claims";
export * from "./common";
export * from "./editors";
export * from "./feeds";
export * from "./inbox";
export * from "./matching";
export * from "./search";
export * from "./sources";
export * from "./stories";
export * from "./webhooks";
