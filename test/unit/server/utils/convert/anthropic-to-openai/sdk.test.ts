import { describe, expect, it } from 'vitest'
import { sdkMessageStream } from '../anthropic-stream'
import { fixture, runStream } from './helpers'

describe('@anthropic-ai/sdk reads the converted stream', () => {
  it('accumulates thinking and a streamed tool call into the final message', async () => {
    const message = await sdkMessageStream(runStream(fixture('deepseek-reasoning-tool-call.txt'))).finalMessage()
    expect(message).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [
        { type: 'thinking', thinking: 'I should list the files.', signature: '' },
        { type: 'tool_use', id: 'call_00_IhCAliIHtM9gKpgfqbBV9873', name: 'Bash', input: { command: 'ls -la' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 118, cache_creation_input_tokens: 0, cache_read_input_tokens: 256, output_tokens: 61 },
      // Added by the SDK's accumulator (structured-output helper), not part of the wire message.
      parsed_output: null,
    })
  })

  it('accumulates interleaved parallel calls into two complete tool_use blocks', async () => {
    const message = await sdkMessageStream(runStream(fixture('parallel-tool-calls-interleaved.txt'))).finalMessage()
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'call_A1b2C3d4E5f6G7h8', name: 'Read', input: { file_path: '/src/a.ts' } },
      { type: 'tool_use', id: 'call_Z9y8X7w6V5u4T3s2', name: 'Glob', input: { pattern: '**/*.md' } },
    ])
    expect(message.stop_reason).toBe('tool_use')
  })

  it('surfaces a truncated upstream stream as an API error, not a finished message', async () => {
    const stream = sdkMessageStream(runStream(fixture('no-finish-reason.txt')))
    await expect(stream.finalMessage()).rejects.toThrow(/without a finish reason/)
  })
})
