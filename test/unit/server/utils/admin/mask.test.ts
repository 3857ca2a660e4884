import { describe, expect, it } from 'vitest'
import { maskKey, maskUrlCredentials } from '#server/utils/admin/mask'

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
