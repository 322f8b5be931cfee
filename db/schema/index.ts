export * from "./workspaces";
export * from "./contacts";
export * from "./messaging";
export * from "./lists";
export * from "./segments";
