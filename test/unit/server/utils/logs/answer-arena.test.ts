import { describe, expect, it } from 'vitest'
import { copyAnswer } from '#server/utils/logs/answer-arena'

describe('copyAnswer', () => {
  it('keeps each answer\'s bytes whatever happens to the socket\'s buffer after', () => {
    const socket = Buffer.from('{"usage":{"input_tokens":1}} · ünïcode')
    const copy = copyAnswer(socket)
    socket.fill(0)
    expect(copy.toString()).toBe('{"usage":{"input_tokens":1}} · ünïcode')
  })

  it('puts small answers side by side in one slab, and a large one in a slab of its own', () => {
    const a = copyAnswer(Buffer.from('first'))
    const b = copyAnswer(Buffer.from('second'))
    expect(b.buffer).toBe(a.buffer)
    expect(b.byteOffset).toBe(a.byteOffset + a.length)
    const large = copyAnswer(Buffer.alloc(300 * 1024, 'x'))
    expect(large.length).toBe(300 * 1024)
    expect(large.buffer).not.toBe(a.buffer)
    expect([a.toString(), b.toString()]).toEqual(['first', 'second'])
  })

  it('starts a new slab when the answer does not fit, leaving the earlier copies intact', () => {
    const copies = Array.from({ length: 100 }, (_, i) => copyAnswer(Buffer.alloc(10_000, String(i % 10))))
    expect(new Set(copies.map(c => c.buffer)).size).toBeGreaterThan(1)
    copies.forEach((c, i) => expect(c.every(byte => byte === 0x30 + (i % 10))).toBe(true))
  })
})
