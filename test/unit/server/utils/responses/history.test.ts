import { describe, expect, it } from 'vitest'
import { chainHistory, inputItems, portableItems, withInlineHistory, type TurnRecord } from '#server/utils/responses/history'

const user = (text: string) => ({ type: 'message', role: 'user', content: text })
const said = (text: string, id: string) => ({ type: 'message', id, role: 'assistant', content: [{ type: 'output_text', text }] })
const record = (id: string, prev: string | null, input: unknown[], output: unknown[]): TurnRecord =>
  ({ id, previousResponseId: prev, input: JSON.stringify(input), response: JSON.stringify({ id, output }) })

describe('Responses history', () => {
  it('reads a string input as one user message', () => {
    expect(inputItems('hi')).toEqual([user('hi')])
    expect(inputItems(undefined)).toEqual([])
  })

  it('rebuilds the chain up to a turn, oldest first, and ignores other branches', () => {
    const turns = [
      record('r1', null, [user('a')], [said('A', 'm1')]),
      record('r2', 'r1', [user('b')], [said('B', 'm2')]),
      record('r2x', 'r1', [user('fork')], [said('F', 'm3')]),
    ]
    expect(chainHistory(turns, 'r2')).toEqual([user('a'), said('A', 'm1'), user('b'), said('B', 'm2')])
    expect(chainHistory(turns.slice(1), 'r2')).toBeUndefined()
  })

  it('makes items portable: no reasoning, no ids', () => {
    const items = [{ type: 'reasoning', id: 'rs_1', encrypted_content: 'x' }, said('A', 'm1'), { type: 'function_call', id: 'fc_1', call_id: 'c', name: 'n', arguments: '{}' }]
    expect(portableItems(items)).toEqual([{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'A' }] }, { type: 'function_call', call_id: 'c', name: 'n', arguments: '{}' }])
  })

  it('puts the history before the new input and drops previous_response_id', () => {
    expect(withInlineHistory({ model: 'm', previous_response_id: 'r1', input: 'next', store: true }, [user('a')]))
      .toEqual({ model: 'm', input: [user('a'), user('next')], store: true })
  })
})
