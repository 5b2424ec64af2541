import fc from 'fast-check';

/** The part of JSON Schema (as @fastify/swagger writes it from our zod schemas) that request bodies use. */
export interface JsonSchema {
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

/** Characters that break naive handling: NUL, controls, RTL marks, emoji, CJK, quotes, SQL and HTML syntax. */
const awkwardCharacter = fc.constantFrom('\u0000', '\t', '\n', '\u202e', '\u200b', '😀', '漢', 'ｱ', "'", '"', '\\', '%', '<', '>', '&', ';', '--', '/*');
const textUnit = fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: awkwardCharacter });

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  const minLength = schema.minLength ?? 0;
  // Long strings only near the limit: the interesting part of a 10 000-character limit is its edge.
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 300, 300));
  const ordinary = fc.array(textUnit, { minLength, maxLength }).map((units) => units.join('').slice(0, schema.maxLength ?? Infinity));
  const atLimit = schema.maxLength ? [fc.constant('x'.repeat(schema.maxLength))] : [];
  return fc.oneof(ordinary, ...atLimit).filter((s) => s.length >= minLength);
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : Number.EPSILON) : undefined);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : Number.EPSILON) : undefined);
  if (integer) return fc.integer({ min: min ?? Number.MIN_SAFE_INTEGER, max: max ?? Number.MAX_SAFE_INTEGER });
  return fc.double({ min: min ?? -1e12, max: max ?? 1e12, noNaN: true, noDefaultInfinity: true });
}

/**
 * Values valid by `schema`: every combination of present and absent optional properties
 * (so `{}` and all subsets), strings at their length limits and with awkward characters.
 * What zod checks beyond JSON Schema (refinements, trimming) may still turn some into 400s.
 */
export function arbitraryOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map(arbitraryOf));
  if (schema.allOf) return arbitraryOf(Object.assign({}, ...schema.allOf));
  if (schema.const !== undefined) return fc.constant(schema.const);
  const types = [schema.type ?? inferredType(schema)].flat();
  const nullable = schema.nullable === true || types.includes('null');
  const value = schema.enum ? fc.constantFrom(...schema.enum) : fc.oneof(...types.filter((t) => t !== 'null').map((t) => typedArbitrary(t, schema)));
  return nullable ? fc.oneof(value, fc.constant(null)) : value;
}

function inferredType(schema: JsonSchema): string {
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return 'string';
}

function typedArbitrary(type: string, schema: JsonSchema): fc.Arbitrary<unknown> {
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const shape = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, arbitraryOf(property)]));
      return fc.record(shape, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) });
    }
    case 'array':
      return fc.array(schema.items ? arbitraryOf(schema.items) : fc.anything(), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 10, 10)),
      });
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    default:
      throw new Error(`arbitraryOf: JSON Schema type ${type} is not supported; add it here`);
  }
}
