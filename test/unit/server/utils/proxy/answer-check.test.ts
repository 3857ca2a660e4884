import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { describeBody, looksLikeJson, readHead } from '#server/utils/proxy/answer-check'

describe('looksLikeJson', () => {
  it('takes a JSON type (or none) with a body that opens an object or array', () => {
    expect(looksLikeJson('application/json', Buffer.from('\n  {"id":1}'))).toBe(true)
    expect(looksLikeJson('application/problem+json; charset=utf-8', Buffer.from('['))).toBe(true)
    expect(looksLikeJson('', Buffer.from('{'))).toBe(true)
  })
  it('refuses other types, other first bytes and empty bodies', () => {
    expect(looksLikeJson('text/html', Buffer.from('{'))).toBe(false)
    expect(looksLikeJson('application/json', Buffer.from('<!DOCTYPE html>'))).toBe(false)
    expect(looksLikeJson('application/json', Buffer.from('   '))).toBe(false)
  })
})

describe('readHead', () => {
  it('reads past leading whitespace to the first real byte and leaves the rest unread', async () => {
    const body = Readable.from([Buffer.from('  \n'), Buffer.from(' {"a"'), Buffer.from(':1}')], { objectMode: false })
    const head = await readHead(body)
    expect(head.toString()).toBe('  \n {"a"')
    const rest: Buffer[] = []
    for await (const c of body) rest.push(c as Buffer)
    expect(Buffer.concat(rest).toString()).toBe(':1}')
  })
})

describe('describeBody', () => {
  it('shows the type and the text of a page without markup, scripts or keys', () => {
    const page = '<html><head><title>Sign in</title><script>var k="x"</script></head><body>\n<p>Key sk-ant-secret-key-000000 expired</p></body></html>'
    expect(describeBody('text/html', page, ['sk-ant-secret-key-000000'])).toBe('text/html: "Sign in Key sk-ant-s***00000 expired"')
  })
  it('says when there is no type or no body, and cuts long text short', () => {
    expect(describeBody('', '', [])).toBe('no content type and an empty body')
    expect(describeBody('text/plain', 'x'.repeat(500), [])).toBe(`text/plain: "${'x'.repeat(200)}…"`)
  })
})
