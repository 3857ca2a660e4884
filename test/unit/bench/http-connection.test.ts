import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createConnection, requestBytes } from '../../../bench/http-connection.mjs'

interface Connection {
  send(bytes: Buffer): Promise<{ status: number, text: string }>
  close(): void
}

let server: Server | undefined
afterEach(() => new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve())))

/** A loopback server answering each request with `answer`; resolves with a connection to it and the requests it saw. */
async function serve(answer: Parameters<typeof createServer>[1], setup?: (s: Server) => void) {
  const seen: { method?: string, url?: string, headers: Record<string, unknown>, body: string }[] = []
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() })
      answer!(req, res)
    })
  })
  setup?.(server)
  await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve))
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/messages?beta=true`)
  const connection: Connection = createConnection(url)
  const bytes: Buffer = requestBytes(url, { 'x-api-key': 'k', 'content-type': 'application/json' }, Buffer.from('{"stream":true}'))
  return { connection, bytes, seen }
}

describe('the load generator\'s connection', () => {
  it('sends the request as given and reads a Content-Length answer, several on one connection', async () => {
    let sockets = 0
    const { connection, bytes, seen } = await serve((_req, res) => res.end('{"ok":true}'), s => s.on('connection', () => sockets++))
    for (let i = 0; i < 3; i++) expect(await connection.send(bytes)).toEqual({ status: 200, text: '' })
    expect(seen).toHaveLength(3)
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/messages?beta=true', body: '{"stream":true}' })
    expect(seen[0]!.headers).toMatchObject({ 'x-api-key': 'k', 'content-type': 'application/json', 'content-length': '15' })
    expect(sockets).toBe(1)
    connection.close()
  })

  it('reads a chunked answer written in many pieces to its last chunk', async () => {
    const { connection, bytes } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      let n = 0
      const tick = () => (n++ < 20 ? res.write(`event: e\ndata: {"n":${n}}\n\n`, () => setImmediate(tick)) : res.end())
      tick()
    })
    expect(await connection.send(bytes)).toEqual({ status: 200, text: '' })
    // The next answer on the same connection parses from its own start.
    expect(await connection.send(bytes)).toEqual({ status: 200, text: '' })
    connection.close()
  })

  it('keeps the start of an error answer, chunked or not', async () => {
    let chunked = false
    const { connection, bytes } = await serve((_req, res) => {
      res.statusCode = 401
      if (chunked) {
        res.write('{"error":')
        res.end('"chunked"}')
      }
      else res.end('{"error":"invalid x-api-key"}')
    })
    expect(await connection.send(bytes)).toEqual({ status: 401, text: '{"error":"invalid x-api-key"}' })
    chunked = true
    expect(await connection.send(bytes)).toEqual({ status: 401, text: '{"error":"chunked"}' })
    connection.close()
  })

  it('sends again, once, on a new connection when a kept-alive one closes before any answer', async () => {
    // The race an idle timeout makes: the server closes the connection as the next request goes out.
    const served = new WeakMap<object, number>()
    let always = false
    const { connection, bytes, seen } = await serve((req, res) => {
      const n = (served.get(req.socket) ?? 0) + 1
      served.set(req.socket, n)
      if (n > 1 || always) req.socket.destroy()
      else res.end('ok')
    })
    expect((await connection.send(bytes)).status).toBe(200)
    expect((await connection.send(bytes)).status).toBe(200)
    expect(seen).toHaveLength(3)
    // A connection that fails again is not tried a third time.
    always = true
    await expect(connection.send(bytes)).rejects.toThrow(/closed mid-response/)
    expect(seen).toHaveLength(5)
    connection.close()
  })

  it('fails a request whose answer stops half-way, and connects again for the next', async () => {
    let cut = true
    const { connection, bytes } = await serve((_req, res) => {
      if (!cut) return res.end('ok')
      res.writeHead(200, { 'content-length': '100' })
      res.write('only part')
      setTimeout(() => res.destroy(), 20)
    })
    await expect(connection.send(bytes)).rejects.toThrow(/closed mid-response/)
    cut = false
    expect(await connection.send(bytes)).toEqual({ status: 200, text: '' })
    connection.close()
  })

  it('reads an answer that ends with the connection', async () => {
    const { connection, bytes } = await serve((_req, res) => {
      res.shouldKeepAlive = false
      res.useChunkedEncodingByDefault = false
      res.removeHeader('transfer-encoding')
      res.write('until the end')
      res.end()
    })
    expect(await connection.send(bytes)).toEqual({ status: 200, text: '' })
    expect(await connection.send(bytes)).toEqual({ status: 200, text: '' })
    connection.close()
  })
})
