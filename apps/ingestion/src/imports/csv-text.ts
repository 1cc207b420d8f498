/** One CSV field, quoted when it holds a delimiter, a quote, a line end or surrounding spaces (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The fields as one CSV record, without a line end. */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

/** One CSV line (with its CRLF) of the given fields. */
export function csvLine(fields: readonly string[]): string {
  return `${csvRecord(fields)}\r\n`;
}
