import { expect } from 'vitest'
import type { JsonObject } from '#server/utils/convert/types'
import { frames } from './helpers'

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/**
 * Checks what every converted Responses stream must satisfy, whatever the upstream: event name =
 * JSON type, sequence numbers 0, 1, 2…, created then in_progress first, exactly one terminal
 * event and it is last, items added in output_index order, deltas only for open items, every
 * item done before `completed`, and the terminal response's output equal to the items as their
 * `output_item.done` carried them (after a length stop, plus the cut-off calls, never done).
 */
export function checkResponsesStream(text: string): void {
  const events = frames(text)
  const types = events.map(([, d]) => d.type as string)
  events.forEach(([name, data], i) => {
    expect(name).toBe(data.type)
    expect(data.sequence_number).toBe(i)
  })
  expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress'])
  expect(types.filter(t => TERMINAL.has(t))).toEqual([types.at(-1)])
  const open = new Map<number, string>()
  const done = new Map<number, JsonObject>()
  let next = 0
  for (const [, d] of events) {
    const type = d.type as string
    if (type === 'response.output_item.added') {
      expect(d.output_index).toBe(next++)
      open.set(d.output_index as number, (d.item as JsonObject).id as string)
    }
    else if (type === 'response.output_item.done') {
      expect(open.delete(d.output_index as number)).toBe(true)
      done.set(d.output_index as number, d.item as JsonObject)
    }
    else if ('item_id' in d) {
      expect(open.get(d.output_index as number)).toBe(d.item_id)
    }
  }
  const last = events.at(-1)![1]
  const response = last.response as JsonObject
  const output = response.output as JsonObject[]
  const doneIds = new Set([...done.values()].map(i => i.id))
  expect(output.filter(i => doneIds.has(i.id))).toEqual([...done.entries()].sort(([a], [b]) => a - b).map(([, item]) => item))
  if (last.type === 'response.completed') expect(open.size).toBe(0)
  // After a length stop a cut-off tool call is reported in `output` only, never as done.
  const cut = output.filter(i => !doneIds.has(i.id))
  if (last.type === 'response.incomplete') {
    expect(cut.map(i => i.id)).toEqual([...open.values()])
    for (const item of cut) expect(item).toMatchObject({ status: 'incomplete', type: expect.stringMatching(/call$/) })
  }
  else if (last.type === 'response.completed') {
    expect(cut).toEqual([])
  }
}
