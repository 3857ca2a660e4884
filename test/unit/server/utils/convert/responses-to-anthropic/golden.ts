import type { Usage } from '#server/utils/convert/types'

const usage = (inputTokens: number, outputTokens: number, cacheReadInputTokens = 0, cacheCreationInputTokens = 0): Usage =>
  ({ inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens, estimated: false })

/**
 * Anthropic upstream transcripts (`test/fixtures/…`) and the name of the Responses stream each
 * must become (`test/fixtures/responses-anthropic/<name>.expected.txt`), its usage and whether it ends cleanly.
 */
export const ANTHROPIC_GOLDEN: Array<[name: string, input: string, usage: Usage, finished: boolean]> = [
  ['text', 'anthropic/text.txt', usage(472, 12, 2048, 1024), true],
  ['thinking', 'anthropic/thinking-text.txt', usage(58, 61), true],
  ['two-tools', 'anthropic/two-tools.txt', usage(913, 104, 4096), true],
  ['tool-use-split', 'anthropic/tool-use-split.txt', usage(472, 89), true],
  ['apply-patch', 'responses-anthropic/apply-patch.txt', usage(210, 88, 8192, 1024), true],
  ['max-tokens', 'responses-anthropic/max-tokens.txt', usage(30, 16), true],
  ['max-tokens-tool-call', 'responses-anthropic/max-tokens-tool-call.txt', usage(900, 32), true],
  ['error-mid-stream', 'anthropic/error-mid-stream.txt', usage(120, 1), false],
  ['truncated', 'anthropic/truncated.txt', usage(35, 1), false],
  ['utf8', 'anthropic/utf8.txt', usage(21, 16), true],
]
