import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { replaceTopLevelValue } from '#server/utils/proxy/replace-json-value'

describe('replaceTopLevelValue', () => {
  it('changes only the model value, byte for byte elsewhere', () => {
    const body = '{ "max_tokens" : 1.50e3,\n "model":"claude-a" , "metadata":{"model":"keep"},"x":[1,{"model":"k"}],"s":"q\\"model\\":1" }'
    expect(replaceTopLevelValue(body, 'model', 'glm-4.6')).toBe(
      '{ "max_tokens" : 1.50e3,\n "model":"glm-4.6" , "metadata":{"model":"keep"},"x":[1,{"model":"k"}],"s":"q\\"model\\":1" }',
    )
  })
  it('replaces every top-level duplicate so JSON.parse sees the mapped value', () => {
    const out = replaceTopLevelValue('{"model":"a","model":"b"}', 'model', 'c')
    expect(out).toBe('{"model":"c","model":"c"}')
  })
  it('escapes the new value and handles unicode around it', () => {
    const out = replaceTopLevelValue('{"é":"ü😀","model":"m","z":null}', 'model', 'we"ird')
    expect(JSON.parse(out)).toEqual({ é: 'ü😀', model: 'we"ird', z: null })
  })
  it('returns the text unchanged when the key is absent', () => {
    const body = '{"a":1}'
    expect(replaceTopLevelValue(body, 'model', 'x')).toBe(body)
  })
  it('agrees with JSON.parse for any object with a model field', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), fc.string(), (obj, model, next) => {
      const text = JSON.stringify({ ...obj, model }, null, 1)
      const parsed = JSON.parse(replaceTopLevelValue(text, 'model', next))
      expect(parsed).toEqual(JSON.parse(JSON.stringify({ ...obj, model: next })))
    }))
  })
})
