import fs from "node:fs";
import { once } from "node:events";

/** Column headers of the generated file; Plan and Company become contact attributes. */
export const CSV_HEADER = "Email,Phone,First Name,Last Name,Timezone,Birthday,Plan,Company";

const FIRST = ["Ada", "Ben", "Chloé", "Dan", "Eva", "Farid", "Grace", "Hugo", "Ines", "Jon", "Kim", "Lena"];
const LAST = ["Smith", "Jones", "Müller", "Garcia", "Nguyen", "Okafor", "Rossi", "Kowalski", "Tanaka", "Dubois"];
const ZONES = ["America/New_York", "America/Los_Angeles", "Europe/Berlin", "Europe/London", "Asia/Tokyo", "", "UTC", "America/Chicago"];
const PLANS = ["free", "pro", "team", ""];
const COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "\"Stark, Inc\"", ""];

/** The valid row for record `i` (0-based): unique email and phone, E.164 or US national. */
function validRow(i: number): string {
  const digits = String(2_000_000 + i).padStart(7, "0"); // 415-200-0000 … 415-300-0000: valid US numbers
  const phone = i % 10 === 3 ? `(415) ${digits.slice(0, 3)}-${digits.slice(3)}` : `+1415${digits}`;
  const birthday = i % 4 === 0 ? "" : `19${50 + (i % 50)}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
  return [
    `u${i}@example.com`,
    phone,
    FIRST[i % FIRST.length],
    LAST[(i >> 3) % LAST.length],
    ZONES[i % ZONES.length],
    birthday,
    PLANS[i % PLANS.length],
    COMPANIES[i % COMPANIES.length],
  ].join(",");
}

export type GeneratedCsv = { path: string; rows: number; bytes: number; expectedInvalid: number; expectedDuplicates: number };

/**
 * Streams a `rows`-record CSV to `path`. Record i with i % 100 === 17 is invalid (bad email and
 * bad phone); i % 100 === 61 repeats an earlier valid record exactly (half of them
 * from the same 5,000-row chunk, half from ~20,000 records back, i.e. another chunk).
 */
export async function generateCsv(path: string, rows: number): Promise<GeneratedCsv> {
  const out = fs.createWriteStream(path, { highWaterMark: 1 << 20 });
  let expectedInvalid = 0;
  let expectedDuplicates = 0;
  let buffer = `${CSV_HEADER}\n`;
  for (let i = 0; i < rows; i++) {
    let line: string;
    if (i % 100 === 17) {
      expectedInvalid++;
      // Neither a valid email nor a valid phone: only such a row is rejected (one bad value alone is a warning).
      line = validRow(i).replace("@example.com", "@@example").replace(/^([^,]*),[^,]*,/, "$1,12,");
    } else if (i % 100 === 61 && i >= 100) {
      expectedDuplicates++;
      const back = Math.floor(i / 100) % 2 === 0 ? 40 : 20_040; // i - back ends in 21: never an invalid (17) or repeated (61) record
      line = validRow(Math.max(0, i - back));
    } else {
      line = validRow(i);
    }
    buffer += `${line}\n`;
    if (buffer.length > 1 << 16) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");
  return { path, rows, bytes: fs.statSync(path).size, expectedInvalid, expectedDuplicates };
}
