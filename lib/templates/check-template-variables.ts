import type { CompiledTemplate } from "./compile-template";
import { type TemplateProblem, templateLocation } from "./template-error";
import type { TemplateVariableSchema, TemplateVariableSpec } from "./template-variables";

/** Properties Liquid gives every string and array. */
const BUILT_IN_PROPERTIES = new Set(["size", "first", "last"]);

/** "`contact.*` and `unsubscribe_url`": what a schema offers, for error messages. */
export function describeSchema(schema: TemplateVariableSchema): string {
  const names = Object.entries(schema).map(([name, spec]) => `\`${name}${spec.properties || spec.anyProperty ? ".*" : ""}\``);
  return names.length < 2 ? (names[0] ?? "no variables") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** `contact.first_name` when the schema has `first_name` one level down. */
function suggestionFor(name: string, schema: TemplateVariableSchema): string | null {
  for (const [root, spec] of Object.entries(schema)) {
    if (spec.properties && Object.hasOwn(spec.properties, name)) return `${root}.${name}`;
  }
  return null;
}

/** The first segment of `path` the schema does not offer, or -1 when the whole path is known (or not checkable). */
function firstUnknownSegment(path: readonly (string | number | null)[], schema: TemplateVariableSchema): number {
  let spec: TemplateVariableSpec | undefined = Object.hasOwn(schema, String(path[0])) ? schema[String(path[0])] : undefined;
  if (!spec) return 0;
  for (let i = 1; i < path.length; i++) {
    const segment = path[i];
    // A computed key (`contact[key]`) or anything under a free-form object is checked when it renders.
    if (segment === null || segment === undefined || spec.anyProperty) return -1;
    if (spec.properties) {
      spec = Object.hasOwn(spec.properties, String(segment)) ? spec.properties[String(segment)] : undefined;
      if (!spec) return i;
    } else {
      return BUILT_IN_PROPERTIES.has(String(segment)) ? -1 : i;
    }
  }
  return -1;
}

/**
 * Every variable the template reads that `schema` does not offer, with where it is — found by
 * reading the template, not by rendering it, so a typo in a branch no sample takes is caught
 * too. `audience` names who the schema belongs to in the messages ("a campaign template").
 */
export function unknownTemplateVariables(template: Pick<CompiledTemplate, "variables">, schema: TemplateVariableSchema, audience: string): TemplateProblem[] {
  const problems = new Map<string, TemplateProblem>();
  for (const use of template.variables) {
    const unknown = firstUnknownSegment(use.path, schema);
    if (unknown < 0) continue;
    const variable = use.path.slice(0, unknown + 1).join(".");
    const key = `${use.part}:${variable}`;
    if (problems.has(key)) continue;
    const suggestion = unknown === 0 ? suggestionFor(String(use.path[0]), schema) : null;
    const hint = suggestion ? ` — did you mean \`${suggestion}\`?` : ` — ${audience} sees ${describeSchema(schema)}`;
    problems.set(key, {
      part: use.part,
      line: use.line,
      kind: "undefined_variable",
      variable,
      message: `template variable \`${variable}\` is undefined ${templateLocation(use.part, use.line)}${hint}`,
    });
  }
  return [...problems.values()];
}
