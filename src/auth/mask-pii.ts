import { getMetadataStorage } from "type-graphql";
import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import { maskDeep, maskIfPhone, maskPhone } from "../util/phone";
import type { CountryCode } from "libphonenumber-js";
import { canSeePii, type Principal } from "./principal";

/**
 * What masking needs of a request (RequestContext has it): who asks, and the region phones are
 * read in. Narrow, so the schema types that carry @MaskPii depend on nothing above them.
 */
export interface PiiViewer {
  principal: Principal | null;
  config: { phone: { defaultRegion: CountryCode } };
}

const maskers = {
  /** A field holding one phone number (E.164 or national digits). */
  phone: (v: unknown) => (typeof v === "string" ? maskPhone(v) : v),
  /** Free text or JSON that may contain phone numbers (meta, job options with CSV text, reasons, errors). */
  text: (v: unknown, region: CountryCode) => maskDeep(v, region),
  /** An identifier that may be a phone number (vendor codes are, at some vendors). */
  id: (v: unknown, region: CountryCode) => (typeof v === "string" ? maskIfPhone(v, region) : v),
};

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql keys its metadata by the class
type Masked = { target: Function; property: string; kind: keyof typeof maskers };
const masked: Masked[] = [];

/**
 * Marks an output field as personal data: keys without the `pii` scope get it masked
 * ("+17275550101" → "+1******0101"). The one mechanism for every phone the API returns.
 * applyPiiMasks puts it on the built schema.
 */
export function MaskPii(kind: keyof typeof maskers = "phone"): PropertyDecorator {
  return (prototype, property) => {
    masked.push({ target: prototype.constructor, property: String(property), kind });
  };
}

/**
 * Wraps each @MaskPii field's resolver in the schema type-graphql built: the value, masked
 * unless the key may see it. Not a type-graphql middleware, which would turn each such field
 * into a promise (its runner is async): a page of 100 leads has ~400 of them. Run once per
 * built schema (buildGatewaySchema).
 */
export function applyPiiMasks(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const fields = type.getFields();
    for (const m of masked) {
      // Its own fields and those it inherits.
      if (objectType.target !== m.target && !(objectType.target.prototype instanceof m.target)) continue;
      const meta = storage.fields.find((f) => f.target === m.target && f.name === m.property);
      const field = meta && fields[meta.schemaName];
      if (!field) continue;
      const mask = maskers[m.kind];
      const property = m.property;
      const inner: GraphQLFieldResolver<unknown, PiiViewer> =
        field.resolve ?? ((root) => (root as Record<string, unknown>)[property]);
      field.resolve = (root, args, context: PiiViewer, info) => {
        const value: unknown = inner(root, args, context, info);
        if (canSeePii(context.principal)) return value;
        const region = context.config.phone.defaultRegion;
        return isPromiseLike(value) ? value.then((v) => mask(v, region)) : mask(value, region);
      };
    }
  }
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as PromiseLike<unknown> | null)?.then === "function";
}
