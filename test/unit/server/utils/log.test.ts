import { describe, expect, it } from 'vitest'
import { escapeControl } from '#server/utils/log'

describe('escapeControl', () => {
  it('makes line breaks, NUL, ANSI escapes and Unicode separators visible', () => {
    expect(escapeControl('a\nb\r\tc')).toBe('a\\nb\\r\\tc')
    expect(escapeControl('x\u0000y\u001B[31mz\u007F\u009B\u2028')).toBe('x\\u0000y\\u001b[31mz\\u007f\\u009b\\u2028')
  })

  it('leaves printable text alone', () => {
    expect(escapeControl('claude-sonnet-4 «é» 模型 \\n')).toBe('claude-sonnet-4 «é» 模型 \\n')
  })
})
