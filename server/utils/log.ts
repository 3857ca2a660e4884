const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 } as const
export type LogLevel = keyof typeof LEVELS

let threshold: number = LEVELS.info

/** Sets the process log level (from `LOG_LEVEL`). */
export function setLogLevel(level: LogLevel): void {
  threshold = LEVELS[level]
}

function at(level: LogLevel, args: unknown[]): void {
  if (LEVELS[level] > threshold) return
  const line = [`[${new Date().toISOString()}] ${level.toUpperCase()}`, ...args]
  if (level === 'error') console.error(...line)
  else if (level === 'warn') console.warn(...line)
  else console.log(...line)
}

/** The process log. Callers mask secrets before logging (see `maskKey`). */
export const log = {
  error: (...a: unknown[]) => at('error', a),
  warn: (...a: unknown[]) => at('warn', a),
  info: (...a: unknown[]) => at('info', a),
  debug: (...a: unknown[]) => at('debug', a),
}
