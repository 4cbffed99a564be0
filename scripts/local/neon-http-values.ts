// Value conversion for the Neon stand-in's "SQL over HTTP" (neon-http-sql.ts): JSON parameters into
// Postgres text, and Postgres text results into Neon's JSON answer, as @neondatabase/serverless expects.
import type pg from "pg";

/** Parameters normally arrive as strings or null already; other JSON values are turned into Postgres text. */
export function toPostgresText(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return toPostgresArray(value);
  return JSON.stringify(value);
}

function toPostgresArray(items: unknown[]): string {
  const elements = items.map((item) => {
    if (item === null) return "NULL";
    if (Array.isArray(item)) return toPostgresArray(item);
    if (typeof item === "number" || typeof item === "boolean") return String(item);
    const text = typeof item === "string" ? item : JSON.stringify(item);
    return `"${text.replace(/[\\"]/g, "\\$&")}"`;
  });
  return `{${elements.join(",")}}`;
}

export interface NeonResultOptions {
  /** Rows as arrays rather than objects keyed by column name. */
  arrayMode: boolean;
  /** Neon-Raw-Text-Output: every value exactly as Postgres printed it. */
  rawTextOutput: boolean;
}

/** A result read with rowMode "array" and every type parser off, in Neon's answer shape. */
export function toNeonResult(result: pg.QueryArrayResult<(string | null)[]>, options: NeonResultOptions) {
  const fields = result.fields.map((field) => ({
    name: field.name,
    dataTypeID: field.dataTypeID,
    tableID: field.tableID,
    columnID: field.columnID,
    dataTypeSize: field.dataTypeSize,
    dataTypeModifier: field.dataTypeModifier,
    format: "text",
  }));
  const rows = result.rows.map((row) => {
    const values = options.rawTextOutput
      ? row
      : row.map((text, i) => (text === null ? null : textToJson(text, fields[i]!.dataTypeID)));
    return options.arrayMode ? values : Object.fromEntries(values.map((value, i) => [fields[i]!.name, value]));
  });
  return { command: result.command ?? "", rowCount: result.rowCount ?? null, rowAsArray: options.arrayMode, fields, rows };
}

// Without Neon-Raw-Text-Output Neon turns text into JSON by type: booleans, int2/int4 and finite floats
// become JSON values, json/jsonb are embedded, arrays become lists; everything else (int8 too) stays text.
// Array element types of the built-in array types (custom array types stay text here):
const ARRAY_ELEMENT_TYPES = new Map([
  [1000, 16], [1001, 17], [1002, 18], [1003, 19], [1005, 21], [1007, 23], [1009, 25], [1028, 26], [199, 114],
  [1021, 700], [1022, 701], [1014, 1042], [1015, 1043], [1182, 1082], [1183, 1083], [1115, 1114], [1185, 1184],
  [1187, 1186], [1231, 1700], [2951, 2950], [1016, 20], [3807, 3802],
]);

function textToJson(text: string, type: number): unknown {
  const element = ARRAY_ELEMENT_TYPES.get(type);
  if (element !== undefined) return parseArray(text, element);
  if (type === 16) return text === "t";
  if (type === 21 || type === 23) return Number(text);
  if (type === 700 || type === 701) return Number.isFinite(Number(text)) ? Number(text) : text; // NaN, ±Infinity
  if (type === 114 || type === 3802) return JSON.parse(text);
  return text;
}

/** Parses Postgres array output such as `[0:1]={{1,NULL},{"a\"b",c}}`. */
function parseArray(text: string, element: number): unknown[] {
  let i = text.startsWith("[") ? text.indexOf("=") + 1 : 0;
  const list = (): unknown[] => {
    const items: unknown[] = [];
    i++; // "{"
    if (text[i] === "}") {
      i++;
      return items;
    }
    for (;;) {
      if (text[i] === "{") {
        items.push(list());
      } else if (text[i] === '"') {
        let value = "";
        for (i++; text[i] !== '"'; i++) value += text[text[i] === "\\" ? ++i : i];
        i++;
        items.push(textToJson(value, element));
      } else {
        const start = i;
        while (text[i] !== "," && text[i] !== "}") i++;
        const value = text.slice(start, i);
        items.push(value === "NULL" ? null : textToJson(value, element));
      }
      if (text[i++] === "}") return items;
    }
  };
  return list();
}
