/**
 * Custom attribute names: identifiers only, so they are safe as JSON keys everywhere (segment
 * filters, CSV headers, template variables) and cannot smuggle path syntax like "a.b" or "a'--".
 */
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const ATTRIBUTE_KEY_RULE = "must start with a letter or underscore and contain only letters, digits and underscores (at most 64)";
