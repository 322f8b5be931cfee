/** npm run db:migrate — applies db/migrations to DATABASE_URL, or to the embedded database. */
import { openDatabase } from "@/db";

const database = openDatabase();
try {
  await database.migrate();
  console.log(`Migrations applied (${database.kind}).`);
} finally {
  await database.close();
}
