/** The character codes of JSON's structure, for scans that step through JSON text without parsing it. */
export const QUOTE = 0x22
export const BACKSLASH = 0x5C
export const OPEN_BRACE = 0x7B
export const CLOSE_BRACE = 0x7D
export const OPEN_BRACKET = 0x5B
export const CLOSE_BRACKET = 0x5D
export const COLON = 0x3A
export const COMMA = 0x2C

/** Whether `c` is JSON's whitespace: space, tab, line feed, carriage return (undefined past a Buffer's end is not). */
export const isJsonSpace = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0A || c === 0x0D
