/** The client protocol a `/v1` route speaks; errors are shaped for its SDK. */
export type ClientProtocol = 'anthropic' | 'openai'

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  502: 'api_error',
  503: 'overloaded_error',
  504: 'timeout_error',
  529: 'overloaded_error',
}

const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
}

/** What each Anthropic error type stands for as an HTTP status (stream errors carry no status). */
const ANTHROPIC_TYPE_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
}

/** The HTTP status of an Anthropic error type, or undefined for an unknown type. */
export function statusOfAnthropicErrorType(type: string | undefined): number | undefined {
  return type ? ANTHROPIC_TYPE_STATUS[type] : undefined
}

/** Anthropic's error `type` for an HTTP status. */
export function anthropicErrorType(status: number): string {
  return ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error')
}

/** An error body in the caller's protocol shape, for errors cc-bridge itself produces. */
export function protocolErrorBody(protocol: ClientProtocol, status: number, message: string, code?: string): string {
  if (protocol === 'anthropic') {
    return JSON.stringify({ type: 'error', error: { type: anthropicErrorType(status), message } })
  }
  const type = OPENAI_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error')
  return JSON.stringify({ error: { message, type, param: null, code: code ?? null } })
}

/** Which protocol a path's clients speak: `/v1/messages*` is Anthropic, the rest of `/v1` OpenAI. */
export function protocolForPath(path: string): ClientProtocol {
  return path.startsWith('/v1/messages') || path === '/v1/models' || path.startsWith('/v1/models?') ? 'anthropic' : 'openai'
}
