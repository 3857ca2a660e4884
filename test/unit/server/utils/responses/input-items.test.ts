import { describe, expect, it } from 'vitest'
import { InputItemsQueryError, inputItemsList } from '#server/utils/responses/input-items'

const items = [
  { type: 'message', role: 'user', content: 'one' },
  { type: 'function_call_output', call_id: 'call_1', output: 'two' },
  { type: 'message', id: 'msg_own', role: 'assistant', content: 'three' },
]

describe('inputItemsList', () => {
  it('lists newest first with ids and text parts, in OpenAI\'s list shape', () => {
    expect(inputItemsList('resp_abc', items, {})).toEqual({
      object: 'list',
      data: [
        { id: 'msg_own', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'three' }] },
        { id: 'in_abc_1', type: 'function_call_output', call_id: 'call_1', output: 'two' },
        { id: 'in_abc_0', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'one' }] },
      ],
      first_id: 'msg_own',
      last_id: 'in_abc_0',
      has_more: false,
    })
  })

  it('pages with limit, order and after', () => {
    const first = inputItemsList('resp_abc', items, { limit: '2', order: 'asc' })
    expect(first).toMatchObject({ first_id: 'in_abc_0', last_id: 'in_abc_1', has_more: true })
    const next = inputItemsList('resp_abc', items, { limit: '2', order: 'asc', after: 'in_abc_1' })
    expect(next).toMatchObject({ data: [{ id: 'msg_own' }], has_more: false })
    expect(inputItemsList('resp_abc', [], {})).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false })
  })

  it('refuses a bad limit, order or cursor', () => {
    expect(() => inputItemsList('resp_abc', items, { limit: '0' })).toThrow(InputItemsQueryError)
    expect(() => inputItemsList('resp_abc', items, { limit: '101' })).toThrow(/limit/)
    expect(() => inputItemsList('resp_abc', items, { order: 'up' })).toThrow(/order/)
    expect(() => inputItemsList('resp_abc', items, { after: 'nope' })).toThrow(/after/)
  })
})
