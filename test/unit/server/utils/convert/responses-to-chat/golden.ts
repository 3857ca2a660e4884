import type { Usage } from '#server/utils/convert/types'

const reported = (inputTokens: number, cacheReadInputTokens: number, outputTokens: number, reasoningTokens?: number): Usage =>
  ({ inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens: 0, ...(reasoningTokens === undefined ? {} : { reasoningTokens }), estimated: false })
const estimated = (outputTokens: number): Usage =>
  ({ inputTokens: 0, outputTokens, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: true })

/**
 * Chat upstream transcripts (`test/fixtures/…`) and the name of the Responses stream each must
 * become (`test/fixtures/responses-chat/<name>.expected.txt`), its usage and whether it ends cleanly.
 */
export const CHAT_GOLDEN: Array<[name: string, input: string, usage: Usage, finished: boolean]> = [
  ['text', 'openai-chat/openai-text.txt', reported(289, 1536, 9, 0), true],
  ['reasoning-summary', 'openai-chat/deepseek-reasoning-text.txt', reported(40, 0, 12, 5), true],
  ['reasoning-tool-call', 'openai-chat/deepseek-reasoning-tool-call.txt', reported(118, 256, 61, 17), true],
  ['parallel-tool-calls', 'openai-chat/parallel-tool-calls-interleaved.txt', reported(2210, 0, 48, 0), true],
  ['text-then-tool-calls', 'openai-chat/text-then-tool-calls.txt', reported(388, 512, 40, 0), true],
  ['apply-patch', 'responses-chat/apply-patch.txt', reported(1024, 4096, 96, 12), true],
  ['length', 'responses-chat/length.txt', reported(40, 0, 16), true],
  ['length-tool-call', 'responses-chat/length-tool-call.txt', reported(900, 0, 32), true],
  ['midstream-error', 'openai-chat/midstream-error.txt', estimated(2), false],
  ['no-finish-reason', 'openai-chat/no-finish-reason.txt', estimated(4), false],
  ['utf8', 'openai-chat/utf8-text.txt', reported(10, 0, 8, 0), true],
]
