import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { InvalidRequestError } from '#server/utils/convert/types'
import { COMPACTION_KEY_FILE, createCompactionSealer, hasCompactionItem, hasCompactionTrigger, loadCompactionKey, openSealedItems } from '#server/utils/responses/compaction'
import { tempDir } from '../db/helpers'

const history = [{ type: 'message', role: 'user', content: 'summary of everything so far' }]

describe('compaction sealing', () => {
  const dirs: ReturnType<typeof tempDir>[] = []
  afterEach(() => dirs.splice(0).forEach(d => d.remove()))
  const keyDir = () => {
    const d = tempDir()
    dirs.push(d)
    return d.dir
  }

  it('generates the key once, mode 0600, and reuses it', () => {
    const dir = keyDir()
    const key = loadCompactionKey(dir)
    expect(key).toHaveLength(32)
    expect(statSync(join(dir, COMPACTION_KEY_FILE)).mode & 0o777).toBe(0o600)
    expect(loadCompactionKey(dir).equals(key)).toBe(true)
  })

  it('opens what it sealed, and nothing else', () => {
    const sealer = createCompactionSealer(loadCompactionKey(keyDir()))
    const item = sealer.seal(history, 'cmp_1')
    expect(item).toMatchObject({ type: 'compaction', id: 'cmp_1' })
    expect(JSON.stringify(item)).not.toContain('summary')
    expect(sealer.isSealed(item)).toBe(true)
    expect(sealer.open(item)).toEqual(history)
    expect(sealer.isSealed({ type: 'compaction', encrypted_content: 'gAAAA-openai' })).toBe(false)
  })

  it('refuses a tampered item, or one sealed under another key, with a 400', () => {
    const sealer = createCompactionSealer(loadCompactionKey(keyDir()))
    const item = sealer.seal(history, 'cmp_1')
    const content = item.encrypted_content as string
    const flipped = content.slice(0, -2) + (content.at(-2) === 'A' ? 'B' : 'A') + content.at(-1)
    for (const bad of [
      { ...item, encrypted_content: flipped },
      { ...item, encrypted_content: 'ccb1.short' },
      { ...item, encrypted_content: 'gAAAA-not-ours' },
      createCompactionSealer(loadCompactionKey(keyDir())).seal(history, 'cmp_2'),
    ]) {
      let error: unknown
      try {
        sealer.open(bad)
      }
      catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(InvalidRequestError)
      expect((error as InvalidRequestError).status).toBe(400)
    }
  })

  it('spots a compaction_trigger input item', () => {
    expect(hasCompactionTrigger({ input: [{ type: 'compaction_trigger' }] })).toBe(true)
    expect(hasCompactionTrigger({ input: 'hi' })).toBe(false)
  })
})

describe('openSealedItems', () => {
  const sealer = createCompactionSealer(Buffer.alloc(32, 7))
  const summary = [{ type: 'message', role: 'user', content: 'summary' }]

  it('opens this cc-bridge\'s items in place and leaves anyone else\'s', () => {
    const ours = sealer.seal(summary, 'cmp_1')
    const native = { type: 'compaction', encrypted_content: 'gAAAA-native' }
    const input = [{ type: 'message', role: 'user', content: 'a' }, ours, native, { type: 'message', role: 'user', content: 'b' }]
    expect(hasCompactionItem(input)).toBe(true)
    expect(hasCompactionItem([{ type: 'message' }])).toBe(false)
    expect(openSealedItems(input, sealer)).toEqual([input[0], ...summary, native, input[3]])
  })

  it('refuses a tampered item', () => {
    const ours = sealer.seal(summary, 'cmp_1')
    const content = String(ours.encrypted_content)
    // The second-to-last character changes (the last may only carry padding bits): to one it is not.
    const tampered = { ...ours, encrypted_content: `${content.slice(0, -2)}${content.at(-2) === 'A' ? 'B' : 'A'}${content.slice(-1)}` }
    expect(() => openSealedItems([tampered], sealer)).toThrow(InvalidRequestError)
  })
})
