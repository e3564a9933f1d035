import { UseMiddleware, type MiddlewareFn } from "type-graphql";
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

/**
 * Marks an output field as personal data: keys without the `pii` scope get it masked
 * ("+17275550101" → "+1******0101"). The one mechanism for every phone the API returns.
 */
export function MaskPii(kind: keyof typeof maskers = "phone"): ReturnType<typeof UseMiddleware> {
  const mask = maskers[kind];
  const middleware: MiddlewareFn<PiiViewer> = async ({ context }, next) => {
    const value = await next();
    return canSeePii(context.principal) ? value : mask(value, context.config.phone.defaultRegion);
  };
  return UseMiddleware(middleware);
}
