import { describe, expect, it } from 'vitest'
import { maskErrorFrames } from '#server/utils/sse/mask-errors'
import type { StreamTransform } from '#server/utils/sse/transform'

/** A transform that hands its input straight on. */
const identity: StreamTransform = { push: chunk => chunk, end: () => ({ tail: 'event: error\ndata: {"m":"SECRET in tail"}\n\n' }), fail: m => m }
const mask = (text: string) => text.replaceAll('SECRET', 'S***')

describe('maskErrorFrames', () => {
  it('masks frames that mention an error, in pushes and in the tail', () => {
    const t = maskErrorFrames(identity, mask)
    expect(t.push(Buffer.from('event: error\ndata: {"error":{"message":"bad key SECRET"}}\n\n'))).toBe('event: error\ndata: {"error":{"message":"bad key S***"}}\n\n')
    expect(t.end().tail).toBe('event: error\ndata: {"m":"S*** in tail"}\n\n')
  })

  it('hands every other frame on as the same bytes', () => {
    const t = maskErrorFrames(identity, mask)
    const plain = Buffer.from('data: {"text":"SECRET is a word here"}\n\n')
    expect(t.push(plain)).toBe(plain)
    const mentions = Buffer.from('data: {"text":"no error, nothing to hide"}\n\n')
    expect(t.push(mentions)).toBe(mentions)
  })
})
