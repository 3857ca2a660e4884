/** Index just past the JSON string that starts at `i` (which must be a `"`). */
function skipString(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j)
    if (c === 92 /* \ */) j++
    else if (c === 34 /* " */) return j + 1
  }
  return s.length
}

/** Index just past the JSON value that starts at `i` (whitespace already skipped). */
function skipValue(s: string, i: number): number {
  const c = s.charCodeAt(i)
  if (c === 34) return skipString(s, i)
  if (c !== 123 /* { */ && c !== 91 /* [ */) {
    let j = i
    while (j < s.length && !',}] \t\r\n'.includes(s[j]!)) j++
    return j
  }
  let depth = 0
  for (let j = i; j < s.length; j++) {
    const d = s.charCodeAt(j)
    if (d === 34) j = skipString(s, j) - 1
    else if (d === 123 || d === 91) depth++
    else if (d === 125 || d === 93) {
      if (--depth === 0) return j + 1
    }
  }
  return s.length
}

function skipWs(s: string, i: number): number {
  while (i < s.length && ' \t\r\n'.includes(s[i]!)) i++
  return i
}

/**
 * Replaces the value of a top-level field in a JSON object text, leaving every other
 * byte exactly as the client sent it (key order, spacing, number formatting, unknown fields).
 * The text must already be known to parse as a JSON object. Every top-level occurrence of the
 * key is replaced, so a duplicated key cannot smuggle the unmapped value past JSON.parse's
 * last-one-wins rule.
 */
export function replaceTopLevelValue(json: string, key: string, value: string | number): string {
  const encoded = JSON.stringify(value)
  let out = ''
  let copied = 0
  let i = skipWs(json, 0)
  if (json[i] !== '{') return json
  i = skipWs(json, i + 1)
  while (i < json.length && json[i] !== '}') {
    const keyEnd = skipString(json, i)
    const name = JSON.parse(json.slice(i, keyEnd)) as string
    const valueStart = skipWs(json, skipWs(json, keyEnd) + 1)
    const valueEnd = skipValue(json, valueStart)
    if (name === key) {
      out += json.slice(copied, valueStart) + encoded
      copied = valueEnd
    }
    i = skipWs(json, valueEnd)
    if (json[i] === ',') i = skipWs(json, i + 1)
  }
  return copied === 0 ? json : out + json.slice(copied)
}
