/**
 * npm run docs:env — rewrites the environment table in README.md from core/config/env-schema.ts
 * (a test fails when the two differ).
 */
import fs from "node:fs";
import { withEnvTable } from "@/lib/config/env-table";

const file = "README.md";
const before = fs.readFileSync(file, "utf8");
const after = withEnvTable(before);
fs.writeFileSync(file, after);
console.log(before === after ? "README.md's environment table is current" : "README.md's environment table rewritten");
