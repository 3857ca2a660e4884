// Requests shaped and sized like a coding agent's first turn, for `npm run bench -- --payload
// agent`. The shapes and sizes were read off the real clients on 2026-12-03, run offline against a
// loopback server that recorded what they sent: Claude Code 2.1.332 sent 87,368 bytes to
// /v1/messages, Codex 0.171.0 sent 40,406 bytes to /v1/responses. Only the structure and the
// lengths are theirs: every text here is generated filler (the clients' prompts are not ours to
// ship), deterministic so that two runs send the same bytes.

/** Pseudo-prose of exactly `length` characters, with the line breaks and quotes JSON must escape. */
export function filler(length, seed = 1) {
  const words = ['the', 'file', 'tool', 'call', 'when', 'user', 'asks', 'run', 'command', 'output', 'read', 'before', 'edit', 'never', 'always', 'path', 'shell', 'result', 'return', '`git status`', '"quoted"', 'test']
  let state = seed >>> 0
  let text = ''
  let line = 0
  while (text.length < length) {
    // A 32-bit LCG: the same seed gives the same text on every machine.
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    const word = words[state % words.length]
    line += word.length + 1
    text += line > 80 ? (line = 0, `${word}\n`) : `${word} `
  }
  return text.slice(0, length)
}

/**
 * A tool definition whose JSON is `size` characters long: `props` string parameters with their
 * own descriptions, the rest of the length in the tool's description (as in the real tools,
 * where the description carries most of it).
 */
function tool(name, size, { props, wrap }) {
  const properties = Object.fromEntries(Array.from({ length: props }, (_, i) => [`param_${i}`, { type: 'string', description: filler(120, size + i) }]))
  const schema = { type: 'object', properties, required: ['param_0'], additionalProperties: false }
  const make = length => wrap(name, filler(length, size), schema)
  // The filler's escaped line breaks and quotes make its JSON longer than its text: shrink the
  // description by the excess until the tool fits (two or three passes).
  let length = size - JSON.stringify(make(0)).length
  for (let excess; length > 0 && (excess = JSON.stringify(make(length)).length - size) > 0;) length -= excess
  return make(Math.max(0, length))
}

const anthropicTool = (name, description, input_schema) => ({ name, description, input_schema: { $schema: 'http://json-schema.org/draft-07/schema#', ...input_schema } })
const responsesTool = (name, description, parameters) => ({ type: 'function', name, description, strict: false, parameters })

/** Claude Code's twelve tools and their JSON lengths, largest first. */
const CLAUDE_CODE_TOOLS = [['Bash', 12_700], ['Agent', 10_300], ['Workflow', 5_700], ['ScheduleWakeup', 4_900], ['Read', 2_900], ['ReportFindings', 2_400], ['ListAgents', 2_000], ['Skill', 1_800], ['Edit', 1_700], ['ToolSearch', 1_400], ['Write', 1_000], ['DeferredToolPlaceholder', 200]]

/** Codex's function tools and their JSON lengths (plus its hosted `web_search`). */
const CODEX_TOOLS = [['multi_agent_v1', 10_900], ['update_goal', 2_200], ['exec_command', 1_500], ['request_user_input', 1_400], ['write_stdin', 800], ['create_goal', 800], ['view_image', 400], ['get_goal', 300]]

const props = size => Math.min(6, Math.max(1, Math.round(size / 1500)))

/** A Claude Code first turn: three system blocks (two cached), twelve tools, thinking on, one user message. */
export function claudeCodeRequest() {
  return {
    model: 'claude-sonnet-4-5',
    messages: [{
      role: 'user',
      content: [
        { type: 'text', text: `<system-reminder>\n${filler(10_600, 7)}\n</system-reminder>` },
        { type: 'text', text: 'Hello! Look at the failing test and fix it.', cache_control: { type: 'ephemeral' } },
      ],
    }],
    system: [
      { type: 'text', text: filler(74, 2) },
      { type: 'text', text: filler(62, 3), cache_control: { type: 'ephemeral' } },
      { type: 'text', text: filler(28_232, 4), cache_control: { type: 'ephemeral' } },
    ],
    tools: CLAUDE_CODE_TOOLS.map(([name, size]) => tool(name, size, { props: props(size), wrap: anthropicTool })),
    metadata: { user_id: JSON.stringify({ device_id: 'd'.repeat(64), account_uuid: '', session_id: '0b7e3c1a-5d2f-4e8b-9a61-2c4f7d9e1b30' }) },
    max_tokens: 32_000,
    thinking: { type: 'enabled', budget_tokens: 31_999 },
    context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  }
}

/** A Codex first turn: two developer messages, two user messages, nine tools, encrypted reasoning asked back. */
export function codexRequest() {
  const message = (role, text) => ({ type: 'message', role, content: [{ type: 'input_text', text }] })
  return {
    model: 'gpt-5.1-codex',
    input: [
      message('developer', filler(17_300, 11)),
      message('developer', filler(2_600, 12)),
      message('user', `<environment_context>\n${filler(500, 13)}\n</environment_context>`),
      message('user', 'Hello! Look at the failing test and fix it.'),
    ],
    tools: [...CODEX_TOOLS.map(([name, size]) => tool(name, size, { props: props(size), wrap: responsesTool })), { type: 'web_search' }],
    tool_choice: 'auto',
    parallel_tool_calls: false,
    reasoning: { effort: 'medium', summary: 'auto' },
    store: false,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: '0199f2a4-7c1e-7b3d-8e5a-4f6b2d9c1a07',
  }
}

/** The headers each client sends besides its key, some of which the request log reads (session, user agent). */
export const AGENT_HEADERS = {
  messages: { 'user-agent': 'claude-cli/2.1.332 (external, cli)', 'x-app': 'cli', 'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27' },
  responses: { 'user-agent': 'codex_cli_rs/0.171.0 (Debian 12; x86_64)', 'originator': 'codex_cli_rs', 'session-id': '0199f2a4-7c1e-7b3d-8e5a-4f6b2d9c1a07' },
}
