import { describe, expect, it } from 'vitest'
import { sdkMessageStream } from '../anthropic-stream'
import { fixture, runStream } from './helpers'

describe('@anthropic-ai/sdk reads the converted stream', () => {
  it('accumulates a reasoning summary with its signature and two streamed calls into the final message', async () => {
    const message = await sdkMessageStream(runStream(fixture('parallel-function-calls.txt'))).finalMessage()
    expect(message).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [
        {
          type: 'thinking',
          thinking: '**Inspecting the repo**\n\nI\'ll check status and read the README.',
          signature: 'ccbridge.responses.v1:rs_77aa00bb11cc22dd33ee44ff55aa66bb:gAAAAABpTk3eW8kP2mN5bV1cX4zQ7wE0rT3yU6iO9pA2sD5fG8hJ1kL4zX7cV0bN3mQ6wE9rT2yU5iO8pA1sD4fG==',
        },
        { type: 'tool_use', id: 'call_Q3hX9mKp2LrT7vW1', name: 'Bash', input: { command: 'git status --short', description: 'Show working tree status' } },
        { type: 'tool_use', id: 'call_Z8yN4bV6cX2mQ0wE', name: 'Read', input: { file_path: '/repo/README.md' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 1056, cache_creation_input_tokens: 0, cache_read_input_tokens: 8064, output_tokens: 96 },
      // Added by the SDK's accumulator (structured-output helper), not part of the wire message.
      parsed_output: null,
    })
  })

  it('reports max_tokens for an incomplete response', async () => {
    const message = await sdkMessageStream(runStream(fixture('incomplete-max-output-tokens.txt'))).finalMessage()
    expect(message.content).toEqual([{ type: 'text', text: 'Here is the full list:\n1. alpha\n2.' }])
    expect(message.stop_reason).toBe('max_tokens')
  })

  it('surfaces a failed or truncated upstream stream as an API error, not a finished message', async () => {
    await expect(sdkMessageStream(runStream(fixture('failed-mid-stream.txt'))).finalMessage()).rejects.toThrow(/server had an error/)
    await expect(sdkMessageStream(runStream(fixture('truncated.txt'))).finalMessage()).rejects.toThrow(/ended before response.completed/)
    await expect(sdkMessageStream(runStream(fixture('error-event-quota.txt'))).finalMessage()).rejects.toThrow(/exceeded your current quota/)
  })
})
