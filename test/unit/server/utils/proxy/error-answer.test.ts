import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '#server/utils/convert/types'
import { errorAnswer, ProxyError } from '#server/utils/proxy/pipeline'

describe('errorAnswer', () => {
  it('answers a request a handler cannot serve as sent with a 400 that keeps its code', () => {
    expect(errorAnswer(new InvalidRequestError('compaction item is damaged', 'input', 'invalid_encrypted_content'), 'test'))
      .toEqual({ status: 400, message: 'compaction item is damaged', headers: {}, code: 'invalid_encrypted_content' })
    expect(errorAnswer(new InvalidRequestError('no'), 'test')).toEqual({ status: 400, message: 'no', headers: {} })
    expect(errorAnswer(new ProxyError(404, 'gone'), 'test')).toEqual({ status: 404, message: 'gone', headers: {} })
  })
})
