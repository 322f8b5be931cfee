export type TemplatePart = "subject" | "body";

/** What went wrong, for callers that branch on it (preflight names the variable, the API the line). */
export type TemplateProblemKind = "undefined_variable" | "undefined_filter" | "syntax" | "limit" | "other";

/** Where in a template a problem is, and what it concerns, as preflight and the API report it. */
export type TemplateProblem = {
  part: TemplatePart;
  /** 1-based; null when the problem concerns the template as a whole. */
  line: number | null;
  kind: TemplateProblemKind;
  /** The variable's path as written (`first_name`, `contact.attributes.company`), for undefined variables. */
  variable: string | null;
  /** One sentence for a person: what is wrong and where ("template variable `first_name` is undefined in the body, line 1"). */
  message: string;
};

/** "in the body, line 3" / "in the subject". */
export function templateLocation(part: TemplatePart, line: number | null): string {
  return line === null ? `in the ${part}` : `in the ${part}, line ${line}`;
}

/**
 * A template that cannot be parsed or rendered with the given data. Retrying cannot fix it,
 * and its message is written for the template's author: it names the variable or filter and
 * where it is, never engine internals.
 */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
  readonly problem: TemplateProblem;

  constructor(problem: Omit<TemplateProblem, "message"> & { message?: string; detail?: string }) {
    const message = problem.message ?? `${problem.detail ?? "the template cannot render"} ${templateLocation(problem.part, problem.line)}`;
    super(message);
    this.problem = { part: problem.part, line: problem.line, kind: problem.kind, variable: problem.variable, message };
  }

  get part(): TemplatePart {
    return this.problem.part;
  }
}

type LiquidLikeError = Error & { token?: { getPosition?: () => [number, number] }; originalError?: Error };

/**
 * Turns a liquidjs error into a TemplateError. liquidjs appends ", line:N, col:M" to its
 * messages and names undefined variables and filters in a fixed form; both are read here, so
 * the rest of the code never parses engine text.
 */
export function templateErrorFromLiquid(error: unknown, part: TemplatePart): TemplateError {
  if (error instanceof TemplateError) return error;
  const liquid = error as LiquidLikeError;
  const position = liquid.token?.getPosition?.();
  const line = position ? position[0] : null;
  const text = (liquid.originalError?.message ?? liquid.message ?? String(error)).replace(/, line:\d+, col:\d+$/, "");
  const variable = /^undefined variable: (.+)$/.exec(text)?.[1];
  if (variable) {
    return new TemplateError({ part, line, kind: "undefined_variable", variable, detail: `template variable \`${variable}\` is undefined` });
  }
  const filter = /^undefined filter: (.+)$/.exec(text)?.[1];
  if (filter) return new TemplateError({ part, line, kind: "undefined_filter", variable: null, detail: `unknown filter \`${filter}\`` });
  if (/limit exceeded/i.test(text)) {
    return new TemplateError({ part, line, kind: "limit", variable: null, detail: `the template exceeds a size or time limit (${text})` });
  }
  if (liquid.name === "ParseError" || liquid.name === "TokenizationError") {
    return new TemplateError({ part, line, kind: "syntax", variable: null, detail: `the template does not parse (${text})` });
  }
  if (/^ENOENT: Failed to lookup/.test(text)) {
    return new TemplateError({ part, line, kind: "other", variable: null, detail: "templates cannot include other files" });
  }
  return new TemplateError({ part, line, kind: "other", variable: null, detail: `the template cannot render (${text})` });
}
