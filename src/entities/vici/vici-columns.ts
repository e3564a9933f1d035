import { Column, type ValueTransformer } from "typeorm";

/**
 * Column helpers shared by the VICIdial entities. These tables belong to VICIdial: the entities
 * only map them (never synchronized, never migrated), so the options below describe how values
 * are converted, not how the columns would be created.
 */

/** SQL type of the columns declared with {@link WallClockColumn}, per entity class and property. */
export const WALL_CLOCK_COLUMNS = new Map<Function, Map<string, "datetime" | "timestamp">>();

/**
 * A DATETIME / TIMESTAMP column read and written as the Vici server's wall-clock string
 * ('2024-05-01 14:03:00', possibly '0000-00-00 00:00:00').
 *
 * The DataSource sets `dateStrings: true`, but TypeORM's MySQL driver still turns a value of a
 * `type: "datetime"` column into a `Date` (new Date(string) in the Node process's time zone,
 * Invalid Date for zero dates; typeorm issues #9355 / #9558) and parses strings written to
 * datetime/timestamp columns into Dates. Declaring the column as varchar to TypeORM makes it pass
 * the string through untouched in both directions; the real SQL type is recorded here and
 * checked against information_schema by test/vici-entities.test.ts.
 */
export function WallClockColumn(
  name: string,
  sqlType: "datetime" | "timestamp",
  options: { nullable?: boolean; insert?: boolean; update?: boolean } = {},
): PropertyDecorator {
  const column = Column({ name, type: "varchar", nullable: options.nullable ?? true, insert: options.insert, update: options.update });
  return (target: object, propertyKey: string | symbol) => {
    const cls = target.constructor;
    let byProperty = WALL_CLOCK_COLUMNS.get(cls);
    if (!byProperty) WALL_CLOCK_COLUMNS.set(cls, (byProperty = new Map()));
    byProperty.set(String(propertyKey), sqlType);
    column(target, propertyKey);
  };
}

/**
 * BIGINT(14) UNSIGNED ids (list_id): mysql2 returns BIGINT as a string here; VICIdial list ids
 * have at most 14 digits, well inside Number.MAX_SAFE_INTEGER, so they are mapped to numbers.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: string | number | null | undefined) => {
    if (value === null || value === undefined) return value;
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT value ${value} does not fit a JavaScript number`);
    return n;
  },
};

/** DECIMAL columns (gmt_offset_now, queue_seconds): small exact values, returned as numbers. */
export const decimalAsNumber: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: string | number | null | undefined) => (value === null || value === undefined ? value : Number(value)),
};

export const YES_NO = ["Y", "N"] as const;
export type YesNo = (typeof YES_NO)[number];
