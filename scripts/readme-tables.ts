/**
 * npm run docs:readme — rewrites README.md's template-variable and import-column tables from
 * the code that defines them (a test fails when they differ).
 */
import fs from "node:fs";
import { withReadmeTables } from "@/lib/docs/readme-tables";

const file = "README.md";
const before = fs.readFileSync(file, "utf8");
const after = withReadmeTables(before);
fs.writeFileSync(file, after);
console.log(before === after ? "README.md's generated tables are current" : "README.md's generated tables rewritten");
