/**
 * npm run workspace:create -- --name <name> [--json]
 * Works whether or not `npm run dev` is running: openDatabase() connects to the running
 * embedded server when there is one and opens the embedded files itself otherwise.
 */
import { openDatabase } from "@/db";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { cliArgs } from "./cli-args";

const args = cliArgs({ name: { type: "string" }, json: { type: "boolean" } });
const name = args.name?.trim();
if (!name) {
  console.error("Usage: npm run workspace:create -- --name <name> [--json]");
  process.exit(2);
}

const database = openDatabase();
try {
  await database.migrate();
  const { workspace, apiKey } = await createWorkspace(database.db, { name });
  if (args.json) {
    console.log(JSON.stringify({ workspaceId: workspace.id, apiKey }));
  } else {
    console.log(`Workspace "${workspace.name}" created: ${workspace.id}`);
    console.log(`API key (shown once, store it now): ${apiKey}`);
  }
} finally {
  await database.close();
}
