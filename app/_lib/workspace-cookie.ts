/** The operator console's selected workspace; `?workspace=<id>` on any dashboard page sets it (see proxy.ts). */
export const WORKSPACE_COOKIE = "sendline_workspace";
