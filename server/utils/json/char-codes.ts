/** The character codes of JSON's structure, for scans that step through JSON text without parsing it. */
export const QUOTE = 0x22
export const BACKSLASH = 0x5C
export const OPEN_BRACE = 0x7B
export const CLOSE_BRACE = 0x7D
export const OPEN_BRACKET = 0x5B
export const CLOSE_BRACKET = 0x5D
export const COLON = 0x3A
export const COMMA = 0x2C
