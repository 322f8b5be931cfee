/** A template that cannot be parsed or rendered with the given data. Retrying cannot fix it. */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
  constructor(
    message: string,
    readonly part: "subject" | "body",
  ) {
    super(`Template ${part}: ${message}`);
  }
}
