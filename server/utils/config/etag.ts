/** The ETag header value for a config revision. */
export function formatEtag(revision: number): string {
  return `"${revision}"`
}

/**
 * Whether an `If-Match` header lets a write go ahead at `revision`. No header or `*` always
 * does; otherwise one of the listed tags (`"3"`, `W/"3"`, or a bare `3`) must name it.
 */
export function ifMatchAllows(header: string | null | undefined, revision: number): boolean {
  if (!header?.trim()) return true
  return header.split(',').some((raw) => {
    const tag = raw.trim()
    return tag === '*' || tag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1') === String(revision)
  })
}
