import { describe, expect, it } from 'vitest'
import { maskKey, maskKeysIn, maskUrlCredentials } from '#server/utils/admin/mask'

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

const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123'

describe('maskKeysIn', () => {
  it('masks a whole key wherever it appears, prefixed or not', () => {
    const text = `Incorrect API key provided: Bearer ${KEY}. Key: ${KEY}`
    expect(maskKeysIn(text, [KEY])).toBe('Incorrect API key provided: Bearer sk-proj-***z0123. Key: sk-proj-***z0123')
  })

  it('masks a key cut off after its first characters', () => {
    expect(maskKeysIn(`bad key ${KEY.slice(0, 16)}... rejected`, [KEY])).toBe('bad key sk-proj-***... rejected')
  })

  it('leaves text without the key, or with only a short common prefix, as it is', () => {
    expect(maskKeysIn('sk-proj- keys are not accepted here', [KEY])).toBe('sk-proj- keys are not accepted here')
    expect(maskKeysIn('nothing secret', [KEY, 'other-key-0000000000'])).toBe('nothing secret')
  })

  it('masks every key of the channel, and leaves keys too short to mask', () => {
    expect(maskKeysIn('a=key-one-1234567890 b=key-two-0987654321 c=abc', ['key-one-1234567890', 'key-two-0987654321', 'abc']))
      .toBe('a=key-one-***67890 b=key-two-***54321 c=abc')
  })
})

describe('maskUrlCredentials', () => {
  it.each([
    ['https://user:secret@api.example.com/v1', 'https://user:***@api.example.com/v1'],
    ['https://user:p@ss:w0rd@api.example.com', 'https://user:***@api.example.com'],
    ['http://:secret@127.0.0.1:8080', 'http://:***@127.0.0.1:8080'],
    ['https://user@api.example.com', 'https://user@api.example.com'],
    ['https://api.example.com/path?x=a:b@c', 'https://api.example.com/path?x=a:b@c'],
    ['https://api.example.com', 'https://api.example.com'],
  ])('shows %j as %j', (url, masked) => {
    expect(maskUrlCredentials(url)).toBe(masked)
  })
})
