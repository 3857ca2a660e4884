import { describe, expect, it } from 'vitest'
import { maskKey } from '#server/utils/admin/mask'

describe('maskKey', () => {
  it.each([
    ['', '***'],
    ['abcde', '***'],
    ['abcdef', 'abc***ef'],
    ['0123456789', '012***89'],
    ['sk-ant-api03-ABCDEFGHIJKLMNOP-XYZ12', 'sk-ant-a***XYZ12'],
    ['01234567890', '01234567***67890'],
  ])('masks %j as %j', (key, masked) => {
    expect(maskKey(key)).toBe(masked)
  })
})
