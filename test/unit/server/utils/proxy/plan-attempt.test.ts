import { describe, expect, it } from 'vitest'
import type { StoredChannel } from '#shared/schemas/config'
import { parseRequest } from '#server/utils/proxy/parse-request'
import { planAttempt } from '#server/utils/proxy/plan-attempt'
import { CHAT_COMPLETIONS, MESSAGES } from '#server/utils/proxy/pool-routes'
import type { AttemptTarget } from '#server/utils/scheduler/types'

const target = (over: Partial<StoredChannel> = {}, key = 'sk-ant-channel-key-0123456789'): AttemptTarget => ({
  channel: { id: 'c1', name: 'one', serviceType: 'claude', baseUrl: 'https://up.example', apiKeys: [key], ...over },
  key, keyIndex: 0, reason: 'priority_order',
})
const req = (body: object, headers = {}) => parseRequest(Buffer.from(JSON.stringify(body)), { 'x-api-key': 'client-access-key', 'anthropic-version': '2023-06-01', ...headers }, '?beta=true')
const noLimit = () => undefined

describe('planAttempt, passthrough', () => {
  it('forwards the client\'s own bytes when nothing must change, with the channel key and the query', () => {
    const r = req({ model: 'claude-x', max_tokens: 100, messages: [] })
    const plan = planAttempt(MESSAGES, r, target(), noLimit)
    expect(plan.body).toBe(r.raw)
    expect(plan.url).toBe('https://up.example/v1/messages?beta=true')
    expect(plan.headers).toMatchObject({ 'x-api-key': 'sk-ant-channel-key-0123456789', 'anthropic-version': '2023-06-01' })
    expect(plan).toMatchObject({ upstreamModel: 'claude-x', maxTokens: 100 })
    expect(plan.convert).toBeUndefined()
  })

  it('rewrites only the model when the channel maps it', () => {
    const r = req({ model: 'claude-sonnet-4', max_tokens: 100, messages: [{ role: 'user', content: 'é' }] })
    const plan = planAttempt(MESSAGES, r, target({ modelMapping: { sonnet: 'provider-model' } }), noLimit)
    expect(plan.body.toString()).toBe(r.raw.toString('utf8').replace('claude-sonnet-4', 'provider-model'))
    expect(plan.upstreamModel).toBe('provider-model')
  })

  it('clamps max_tokens to a learnt output limit of the mapped model', () => {
    const r = req({ model: 'm', max_tokens: 32000, messages: [] })
    const plan = planAttempt(MESSAGES, r, target(), model => (model === 'm' ? 8192 : undefined))
    expect(JSON.parse(plan.body.toString()).max_tokens).toBe(8192)
    expect(plan.maxTokens).toBe(8192)
  })

  it('drops unsigned thinking blocks before an Anthropic channel sees them', () => {
    const r = req({ model: 'm', messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 'x' }, { type: 'text', text: 'hi' }] }] })
    const sent = JSON.parse(planAttempt(MESSAGES, r, target(), noLimit).body.toString())
    expect(sent.messages[0].content).toEqual([{ type: 'text', text: 'hi' }])
  })
})

describe('planAttempt, conversion', () => {
  it('builds a Chat Completions request for an openai channel, with its own headers and no client credential', () => {
    const r = req({ model: 'claude-sonnet-4', max_tokens: 32000, stream: true, messages: [{ role: 'user', content: 'hi' }] })
    const plan = planAttempt(MESSAGES, r, target({ serviceType: 'openai', baseUrl: 'https://api.deepseek.com', modelMapping: { sonnet: 'deepseek-chat' } }, 'sk-deepseek-0123456789'), () => 8192)
    const body = JSON.parse(plan.body as string)
    expect(plan.url).toBe('https://api.deepseek.com/v1/chat/completions')
    expect(body).toMatchObject({ model: 'deepseek-chat', max_tokens: 8192, stream: true, messages: [{ role: 'user', content: 'hi' }] })
    expect(plan.headers).toMatchObject({ authorization: 'Bearer sk-deepseek-0123456789' })
    expect(JSON.stringify(plan.headers)).not.toContain('client-access-key')
    expect(plan.convert?.ctx).toMatchObject({ requestModel: 'claude-sonnet-4', upstreamModel: 'deepseek-chat', stream: true })
    expect(plan.maxTokens).toBe(8192)
  })

  it('builds a Messages request for a claude channel behind /v1/chat/completions', () => {
    const r = req({ model: 'gpt-x', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }], stream_options: { include_usage: true }, stream: true })
    const plan = planAttempt(CHAT_COMPLETIONS, r, target({ modelMapping: { 'gpt-x': 'claude-y' } }), noLimit)
    expect(plan.url).toBe('https://up.example/v1/messages')
    expect(JSON.parse(plan.body as string)).toMatchObject({ model: 'claude-y', system: [{ type: 'text', text: 'be brief' }], messages: [{ role: 'user' }] })
    expect(plan.convert?.ctx.includeUsage).toBe(true)
  })
})
