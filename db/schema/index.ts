export * from "./workspaces";
export * from "./contacts";
export * from "./messaging";
