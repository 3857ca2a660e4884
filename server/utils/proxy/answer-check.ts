import type { Readable } from 'node:stream'
import { maskKeysIn } from '#server/utils/admin/mask'
import { isJsonSpace } from '#server/utils/json/char-codes'

/** How much of a body that is not what the protocol says is read to describe it. */
export const SNIPPET_READ = 4096
/** How much of it the client is shown. */
const SNIPPET_SHOWN = 200

/** The first byte after leading whitespace, or undefined when there is none yet. */
function firstByte(buf: Buffer): number | undefined {
  for (const b of buf) {
    if (!isJsonSpace(b)) return b
  }
  return undefined
}

/**
 * Reads a body up to its first byte that is not whitespace (usually one chunk) and leaves it
 * paused for the relay; a body that ends first yields what it had. Nothing is parsed: the relay
 * stays byte-exact and cheap.
 */
export function readHead(body: Readable): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const finish = () => {
      body.off('data', onData)
      body.off('end', finish)
      body.off('error', finish)
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
    }
    const onData = (chunk: Buffer) => {
      chunks.push(chunk)
      if (firstByte(chunk) === undefined) return
      body.pause()
      finish()
    }
    body.on('data', onData)
    body.once('end', finish)
    body.once('error', finish)
  })
}

/** A JSON media type: `application/json`, `application/problem+json`, with or without parameters. */
function isJsonType(contentType: string): boolean {
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase()
  return type.endsWith('/json') || type.endsWith('+json')
}

/**
 * Whether a successful non-streaming answer is JSON: a JSON content type (or none at all, which
 * some gateways forget) and a body that starts like a JSON object or array.
 */
export function looksLikeJson(contentType: string, head: Buffer): boolean {
  if (contentType && !isJsonType(contentType)) return false
  const b = firstByte(head)
  return b === 0x7B || b === 0x5B
}

/** Whether a successful streaming answer is an event stream. */
export function isEventStream(contentType: string): boolean {
  return contentType.toLowerCase().includes('text/event-stream')
}

/** Reads up to `cap` bytes of a body (the rest is dropped and the body destroyed). */
export function readCapped(body: Readable, cap: number, head?: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = head ? [head] : []
    let size = head?.length ?? 0
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'))
    if (size >= cap || body.readableEnded || body.destroyed) {
      body.destroy()
      done()
      return
    }
    body.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= cap) chunks.push(chunk)
      else body.destroy()
    })
    body.once('end', done)
    body.once('close', done)
    body.once('error', done)
    body.resume()
  })
}

/**
 * One line that says what an upstream sent instead of the protocol's answer: markup, scripts
 * and control characters dropped, whitespace collapsed, cut short, and the channel's keys masked.
 */
export function describeBody(contentType: string, text: string, keys: readonly string[]): string {
  const plain = text
    .replace(/<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ')
    .replace(/<[^>]*>?/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001F\u007F]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  const shown = maskKeysIn(plain, keys)
  const cut = shown.length > SNIPPET_SHOWN ? `${shown.slice(0, SNIPPET_SHOWN)}…` : shown
  const type = contentType ? contentType.slice(0, 100) : 'no content type'
  return cut ? `${type}: "${cut}"` : `${type} and an empty body`
}
