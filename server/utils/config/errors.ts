/** A refusal the admin API shows as `{"error": message}` with this HTTP status. */
export class ConfigApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
    this.name = 'ConfigApiError'
  }
}

/** A write whose `If-Match` names a revision older than the current one. */
export class StaleRevisionError extends ConfigApiError {
  constructor() {
    super(409, 'Configuration changed; reload and retry')
    this.name = 'StaleRevisionError'
  }
}

/** config.json cannot be used; the message names the file and the offending field. */
export class ConfigFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigFileError'
  }
}

/** One validation problem, with the path written the way a user reads it: `upstream[0].baseUrl`. */
export interface FieldIssue {
  path: string
  message: string
}

/** `['upstream', 0, 'baseUrl']` → `upstream[0].baseUrl`; the empty path is the document itself. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out ? `.${String(part)}` : String(part)
  }
  return out || '(root)'
}

/** Flattens a zod error into field-level issues; zod never copies the input value into them. */
export function fieldIssues(error: { issues: readonly { path: readonly PropertyKey[], message: string }[] }): FieldIssue[] {
  return error.issues.map(issue => ({ path: formatIssuePath(issue.path), message: issue.message }))
}
