const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 } as const
export type LogLevel = keyof typeof LEVELS

let threshold: number = LEVELS.info

/** Sets the process log level (from `LOG_LEVEL`). */
export function setLogLevel(level: LogLevel): void {
  threshold = LEVELS[level]
}

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * A string safe for one console line: control characters become visible escapes (`\n`,
 * `\u001b`), so a value a client chose (a model name, a header) cannot end the line and forge
 * another, hide text with NUL, or drive the terminal with ANSI escape sequences.
 */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, c => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function at(level: LogLevel, args: unknown[]): void {
  if (LEVELS[level] > threshold) return
  const line = [`[${new Date().toISOString()}] ${level.toUpperCase()}`, ...args.map(a => (typeof a === 'string' ? escapeControl(a) : a))]
  if (level === 'error') console.error(...line)
  else if (level === 'warn') console.warn(...line)
  else console.log(...line)
}

/**
 * The process log, one line per call: string arguments have their control characters escaped
 * (see {@link escapeControl}). Callers mask secrets before logging (see `maskKey`).
 */
export const log = {
  error: (...a: unknown[]) => at('error', a),
  warn: (...a: unknown[]) => at('warn', a),
  info: (...a: unknown[]) => at('info', a),
  debug: (...a: unknown[]) => at('debug', a),
}
