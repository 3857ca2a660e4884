import { describe, expect, it } from 'vitest'
import { createResponseCapture } from '#server/utils/responses/capture'
import { passthroughTransform } from '#server/utils/sse/passthrough'
import { responsesSse } from '#server/utils/sse/responses'
import { tapTransform } from '#server/utils/sse/tap'
import { messageItem, reasoningItem, responseObject, responseStream } from '../../../../support/responses-fixtures'

/** Runs a stream through the passthrough transform with the capture tapped in, in chunks of `size` bytes. */
function relay(frames: string[], size: number) {
  const capture = createResponseCapture()
  const t = tapTransform(passthroughTransform(responsesSse), f => capture.frames(f, false))
  const all = Buffer.from(frames.join(''))
  let out = ''
  for (let i = 0; i < all.length; i += size) out += t.push(all.subarray(i, i + size)).toString()
  out += t.end().tail.toString()
  return { capture, out, ended: t.ended?.() }
}

describe('createResponseCapture', () => {
  it('keeps the final response of a stream, whatever the chunking, without touching the bytes', () => {
    const frames = responseStream('resp_1', [reasoningItem(), messageItem('hé😀llo')])
    for (const size of [1, 7, 64, 100_000]) {
      const { capture, out, ended } = relay(frames, size)
      expect(out).toBe(frames.join(''))
      expect(ended).toBe(true)
      expect(capture.result()).toMatchObject({ id: 'resp_1', status: 'completed', output: [{ type: 'reasoning' }, { type: 'message' }] })
    }
  })

  it('takes the output items from output_item.done when the final object has none', () => {
    const { capture } = relay(responseStream('resp_2', [messageItem('a', 'm1'), messageItem('b', 'm2')], { emptyFinalOutput: true }), 50)
    expect((capture.result()!.output as { id: string }[]).map(i => i.id)).toEqual(['m1', 'm2'])
  })

  it('keeps nothing from a stream cut before its end, or from a failed response', () => {
    const frames = responseStream('resp_3', [messageItem('a')])
    expect(relay(frames.slice(0, -1), 40).capture.result()).toBeUndefined()
    const failed = createResponseCapture()
    failed.body(JSON.stringify(responseObject('resp_4', [], { status: 'failed' })))
    expect(failed.result()).toBeUndefined()
  })

  it('keeps a JSON body', () => {
    const capture = createResponseCapture()
    const body = JSON.stringify(responseObject('resp_5', [messageItem('x')]))
    capture.body(Buffer.from(body.slice(0, 10)))
    capture.body(Buffer.from(body.slice(10)))
    expect(capture.result()).toMatchObject({ id: 'resp_5' })
  })
})
