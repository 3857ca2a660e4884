// One keep-alive HTTP/1.1 client connection on a raw socket, for the load generator: it sends a
// request made of ready bytes and reads the response's framing (status, Content-Length or
// chunked) without building headers, strings or objects for it, as wrk and autocannon do. The
// generator shares two cores with the servers it measures, so every microsecond it spends per
// request is taken from them.
import { connect } from 'node:net'

const CR = 13
const LF = 10
const HEAD_END = Buffer.from('\r\n\r\n')
/** Kept of a response that is not a 200, to say what went wrong. */
const MAX_ERROR_TEXT = 200

/** A complete request's bytes: its head (Host, Content-Length and keep-alive added) and its body. */
export function requestBytes(url, headers, body) {
  const lines = [`POST ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, `content-length: ${body.length}`, 'connection: keep-alive']
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body])
}

/** The status and body framing of a response head (latin1 text up to its blank line). */
function parseHead(head) {
  const status = Number(head.slice(9, 12))
  let length = -1
  let chunked = false
  let close = false
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim().toLowerCase()
    if (name === 'content-length') length = Number(value)
    else if (name === 'transfer-encoding') chunked = value.endsWith('chunked')
    else if (name === 'connection') close = value === 'close'
  }
  if (!Number.isInteger(status)) throw new Error(`not an HTTP response: ${JSON.stringify(head.slice(0, 40))}`)
  return { status, length, chunked, close }
}

/**
 * A connection to `url`'s host. `send(bytes)` resolves with `{ status, text }` once the whole
 * response is in (`text`: the start of a non-200 body, else ''); it rejects when the socket fails
 * or closes first, after which the next `send` reconnects. One request at a time.
 */
export function createConnection(url) {
  let socket
  let waiter
  /** Bytes received and not yet consumed by the parser. */
  let pending
  let res
  /** The request in flight, and whether it went out on a connection that had served one before. */
  let sent
  let reused = false

  function fail(error) {
    socket?.destroy()
    socket = undefined
    pending = undefined
    // A kept-alive connection the server closed as the request went out (its idle timeout): sent
    // again once on a new connection, as HTTP clients do; nothing of the answer had arrived.
    if (waiter && reused && res?.state === 'head' && !res.received) {
      reused = false
      open()
      socket.write(sent)
      return
    }
    const w = waiter
    waiter = undefined
    w?.reject(error)
  }

  function done() {
    const w = waiter
    const { status, text, close } = res
    waiter = undefined
    res = undefined
    if (close) {
      socket.destroy()
      socket = undefined
    }
    reused = socket !== undefined
    w.resolve({ status, text })
  }

  function keep(chunk, from, to) {
    if (res.status !== 200 && res.text.length < MAX_ERROR_TEXT) res.text += chunk.toString('utf8', from, Math.min(to, from + MAX_ERROR_TEXT))
  }

  /** Consumes `buf` from `at`; returns where it stopped (the rest waits for more bytes). */
  function parse(buf, at) {
    while (res && at < buf.length) {
      if (res.state === 'head') {
        const end = buf.indexOf(HEAD_END, at)
        if (end < 0) return at
        Object.assign(res, parseHead(buf.toString('latin1', at, end)))
        at = end + 4
        if (res.chunked) res.state = 'size'
        else if (res.length >= 0) res.state = 'body'
        else res.state = 'until-close'
        if (res.state === 'body' && res.length === 0) return done(), at
      }
      else if (res.state === 'body') {
        const take = Math.min(res.length, buf.length - at)
        keep(buf, at, at + take)
        res.length -= take
        at += take
        if (res.length === 0) return done(), at
      }
      else if (res.state === 'size') {
        const eol = buf.indexOf(LF, at)
        if (eol < 0) return at
        const size = Number.parseInt(buf.toString('latin1', at, eol), 16)
        if (!Number.isFinite(size)) throw new Error('bad chunk size')
        at = eol + 1
        // The last chunk is followed by (no) trailers and a blank line.
        res.length = size
        res.state = size === 0 ? 'trailer' : 'chunk'
      }
      else if (res.state === 'chunk') {
        const take = Math.min(res.length, buf.length - at)
        keep(buf, at, at + take)
        res.length -= take
        at += take
        if (res.length === 0) res.state = 'chunk-end'
      }
      else if (res.state === 'chunk-end') {
        // The CRLF after a chunk's data.
        if (buf[at] === CR) at++
        else if (buf[at] === LF) {
          at++
          res.state = 'size'
        }
        else throw new Error('bad chunk end')
      }
      else if (res.state === 'trailer') {
        const eol = buf.indexOf(LF, at)
        if (eol < 0) return at
        const empty = eol === at || (eol === at + 1 && buf[at] === CR)
        at = eol + 1
        if (empty) return done(), at
      }
      else {
        keep(buf, at, buf.length)
        return buf.length
      }
    }
    return at
  }

  function onData(chunk) {
    if (!res) return fail(new Error('bytes with no request in flight'))
    res.received = true
    const buf = pending ? Buffer.concat([pending, chunk]) : chunk
    pending = undefined
    try {
      const at = parse(buf, 0)
      if (at < buf.length) pending = buf.subarray(at)
    }
    catch (error) {
      fail(error)
    }
  }

  function open() {
    const s = socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true })
    s.on('data', chunk => s === socket && onData(chunk))
    // Events of a socket already given up (closed after a response, or failed) are not this one's.
    s.on('error', error => s === socket && fail(error))
    s.on('close', () => {
      if (s !== socket) return
      if (res?.state === 'until-close') {
        // A body that runs to the end of the connection: the close is its end.
        socket = undefined
        res.close = false
        done()
      }
      else fail(new Error('the connection closed mid-response'))
    })
  }

  return {
    send(bytes) {
      if (!socket) {
        open()
        reused = false
      }
      return new Promise((resolve, reject) => {
        waiter = { resolve, reject }
        sent = bytes
        res = { state: 'head', status: 0, length: -1, chunked: false, close: false, text: '', received: false }
        socket.write(bytes)
      })
    },
    close() {
      socket?.destroy()
      socket = undefined
    },
  }
}
