import { Liquid } from "liquidjs";

/**
 * Limits that keep a hostile or careless template from taking the worker down: templates
 * come from API users, and a render runs inside a step with a deadline.
 */
export const TEMPLATE_PARSE_LIMIT_CHARS = 100_000;
export const TEMPLATE_RENDER_LIMIT_MS = 1_000;
export const TEMPLATE_MEMORY_LIMIT_UNITS = 10_000_000;

function createEngine(escape: boolean): Liquid {
  return new Liquid({
    // Unknown variables and filters are errors, not silent blanks in a customer's inbox.
    strictVariables: true,
    strictFilters: true,
    // …except where the template asks: `{% if contact.attributes.vip %}` and
    // `{{ contact.attributes.company | default: "there" }}` are how an author guards a field
    // some contacts lack, and strict mode alone would leave no way to write that.
    lenientIf: true,
    // `{{ constructor }}`, `{{ x.__proto__ }}` must not reach JavaScript internals.
    ownPropertyOnly: true,
    parseLimit: TEMPLATE_PARSE_LIMIT_CHARS,
    renderLimit: TEMPLATE_RENDER_LIMIT_MS,
    memoryLimit: TEMPLATE_MEMORY_LIMIT_UNITS,
    // No file system: include/render/layout resolve only against this empty in-memory set.
    templates: {},
    outputEscape: escape ? "escape" : undefined,
    cache: false,
  });
}

/** HTML bodies escape every output; subjects and SMS bodies are plain text. */
export const htmlLiquid = createEngine(true);
export const textLiquid = createEngine(false);
