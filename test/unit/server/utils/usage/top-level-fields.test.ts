import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { topLevelFields } from '#server/utils/usage/top-level-fields'

const names = (...n: string[]) => n

/** What JSON.parse says the same keys hold: the reference the scan must match. */
function parsedFields(text: string, wanted: readonly string[]): Record<string, unknown> {
  const json = JSON.parse(text) as Record<string, unknown>
  return Object.fromEntries(Object.entries(json).filter(([k]) => wanted.includes(k)))
}

/** Every JSON object carried by the fixture streams' `data:` lines: real upstream shapes. */
function fixtureObjects(): string[] {
  const root = join(__dirname, '../../../../fixtures')
  const out: string[] = []
  for (const dir of readdirSync(root)) {
    for (const file of readdirSync(join(root, dir))) {
      for (const line of readFileSync(join(root, dir, file), 'utf8').split('\n')) {
        const data = line.startsWith('data: ') ? line.slice(6) : undefined
        if (data?.startsWith('{')) {
          try {
            JSON.parse(data)
            out.push(data)
          }
          catch {
            // a fixture's deliberately broken event
          }
        }
      }
    }
  }
  return out
}

describe('topLevelFields', () => {
  it('reads the wanted top-level keys of an answer and leaves nested keys of the same name alone', () => {
    const body = JSON.stringify({
      id: 'msg_1',
      model: 'claude-real',
      content: [
        { type: 'text', text: 'the "usage": {"input_tokens": 999} of } and ] in text \\" \\\\' },
        { type: 'tool_use', input: { usage: { input_tokens: 5 }, model: 'inner', list: [[], {}, [{ a: '}' }]] } },
      ],
      stop_reason: 'end_turn',
      usage: { input_tokens: 3, output_tokens: 2, cache_creation: { ephemeral_1h_input_tokens: 1 } },
    })
    expect(topLevelFields(body, names('model', 'usage'))).toEqual({
      model: 'claude-real',
      usage: { input_tokens: 3, output_tokens: 2, cache_creation: { ephemeral_1h_input_tokens: 1 } },
    })
  })

  it('reads every value kind, whitespace, escaped keys and the last of duplicate keys as JSON.parse does', () => {
    const text = ' \r\n\t{ "a" :\t-1.5e+3 , "b":true,"c" : false, "d":null, "e":"x\\"y\\\\", "f":[ ], "g":{ },'
      + ' "us\\u0061ge": {"n": 1}, "h": "日本 🎉", "a": 7, "i": [1, [2, {"j": "]"}]] }\n'
    const all = names('a', 'b', 'c', 'd', 'e', 'f', 'g', 'usage', 'h', 'i')
    expect(topLevelFields(text, all)).toEqual(parsedFields(text, all))
    expect(topLevelFields(text, all)).toMatchObject({ a: 7, usage: { n: 1 } })
  })

  it('matches JSON.parse on every object of the upstream fixtures, for all their top-level keys', () => {
    const objects = fixtureObjects()
    expect(objects.length).toBeGreaterThan(50)
    for (const text of objects) {
      const keys = Object.keys(JSON.parse(text) as object)
      expect(topLevelFields(text, keys), text).toEqual(parsedFields(text, keys))
    }
  })

  it('returns nothing for what is not one JSON object at its top level', () => {
    const usage = names('usage')
    for (const text of [
      '', '   ', '<html>', '[{"usage":1}]', '"usage"', '42', 'null',
      '{"usage":1', '{"usage":1,}', '{"usage" 1}', '{"usage":1 "x":2}', '{usage:1}', '{"usage":1}}', '{"usage":1} x',
      '{"a":[1,2}', '{"a":{"b":1]}', '{"a":"unterminated}', '{"usage":tru}', '{"usage":}', '\uFEFF{"usage":1}',
    ]) {
      expect(topLevelFields(text, usage), text).toBeUndefined()
    }
    expect(topLevelFields('{}', usage)).toEqual({})
    expect(topLevelFields(' { } ', usage)).toEqual({})
  })

  it('skips a long content without parsing it, and still reads what follows', () => {
    const text = JSON.stringify({ model: 'm', content: [{ type: 'text', text: 'x"{['.repeat(100_000) }], usage: { output_tokens: 1 } })
    expect(topLevelFields(text, names('usage'))).toEqual({ usage: { output_tokens: 1 } })
  })
})
