/**
 * A contacts file as people export them: a header row, `valid` good rows and `invalid` rows
 * with neither a usable email nor a phone (each one a line of the error report).
 */
export function contactsCsv(options: { valid: number; invalid?: number; domain?: string }): Buffer {
  const domain = options.domain ?? "import.example";
  const lines = ["Email,First Name,Last Name,Company"];
  for (let n = 1; n <= options.valid; n++) lines.push(`customer${n}@${domain},Customer,No ${n},Acme ${n % 7}`);
  for (let n = 1; n <= (options.invalid ?? 0); n++) lines.push(`not-an-address-${n},Broken,Row ${n},`);
  return Buffer.from(`${lines.join("\n")}\n`);
}
