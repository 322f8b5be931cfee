/**
 * npm run credits:grant -- --workspace <id> --amount <n> [--note <text>]
 * Adds credits to a workspace's ledger and prints the new balance. Like workspace:create, it
 * works whether or not `npm run dev` is running.
 */
import { openDatabase } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { creditBalance, grantCredits } from "@/db/queries/credits";
import { getWorkspace } from "@/db/queries/workspaces";
import { cliArgs } from "./cli-args";

const args = cliArgs({ workspace: { type: "string" }, amount: { type: "string" }, note: { type: "string" } });
const amount = Number(args.amount);
if (!args.workspace || !Number.isInteger(amount) || amount <= 0) {
  console.error("Usage: npm run credits:grant -- --workspace <id> --amount <positive whole number> [--note <text>]");
  process.exit(2);
}

const database = openDatabase();
try {
  await database.migrate();
  const workspaceId = args.workspace;
  if (!(await getWorkspace(database.db, { workspaceId }))) {
    console.error(`No workspace ${workspaceId}`);
    process.exitCode = 1;
  } else {
    await grantCredits(database.db, { workspaceId, amount, note: args.note ?? "granted from the command line" });
    await insertAuditEntry(database.db, { workspaceId, actor: "system", action: "credits.granted", details: { amount } });
    console.log(`Granted ${amount.toLocaleString("en-US")} credits; balance ${(await creditBalance(database.db, { workspaceId })).toLocaleString("en-US")}`);
  }
} finally {
  await database.close();
}
