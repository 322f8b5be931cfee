export * from "./workspaces";
export * from "./contacts";
export * from "./messaging";
export * from "./lists";
export * from "./segments";
export * from "./imports";
export * from "./enrichment";
