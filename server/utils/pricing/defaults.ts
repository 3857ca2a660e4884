import type { ModelPrice } from '#shared/schemas/pricing'

/**
 * A default price row: USD per 1M tokens for input, output, 5-minute cache writes and cache
 * reads. Defaults are not listed in `GET /v1/models` (several are prefixes, not models).
 */
const row = (description: string, inputPrice: number, outputPrice: number, cacheCreationPrice: number, cacheReadPrice: number): ModelPrice =>
  ({ inputPrice, outputPrice, cacheCreationPrice, cacheReadPrice, description, exportToModels: false })

/**
 * The price table seeded on first start and restored by `POST /api/pricing/reset`.
 *
 * Source: the providers' list prices (standard tier, no batch discount) as published on
 * claude.com/pricing, platform.openai.com/docs/pricing and api-docs.deepseek.com/quick_start/pricing,
 * as known in December 2025 and not re-checked since. Edit the table through the admin API when
 * a provider changes them.
 *
 * - Anthropic: cache writes are the 5-minute price (1.25× input; 1-hour writes cost 2× input, see
 *   `priceRequest`), reads 0.1× input. Sonnet's long-context rate (over 200k input tokens) is not
 *   modelled. The bare family prefixes (`claude-opus-4`, …) carry the newest generation's price,
 *   so a later 4.x release is priced until it gets a row of its own; the older 4.0 ids have theirs.
 * - OpenAI and DeepSeek charge nothing extra for a cache write (it is ordinary input), so the
 *   write price is the input price; reads are the "cached input" price. Pro models have no
 *   cache discount.
 * - Keys are prefixes: the longest one that starts a model name prices it, so `gpt-5.1-codex-max`
 *   takes its own row over `gpt-5.1-codex` and `gpt-5.1`, and dated ids such as
 *   `claude-sonnet-4-5-20250929` take their family's.
 */
export const DEFAULT_PRICING: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'claude-opus-4-5': row('Claude Opus 4.5', 5, 25, 6.25, 0.5),
  'claude-opus-4-1': row('Claude Opus 4.1', 15, 75, 18.75, 1.5),
  'claude-opus-4-0': row('Claude Opus 4', 15, 75, 18.75, 1.5),
  'claude-opus-4-20250514': row('Claude Opus 4', 15, 75, 18.75, 1.5),
  'claude-opus-4': row('Claude Opus 4.x (newest price)', 5, 25, 6.25, 0.5),
  'claude-3-opus': row('Claude 3 Opus', 15, 75, 18.75, 1.5),
  'claude-sonnet-4-5': row('Claude Sonnet 4.5', 3, 15, 3.75, 0.3),
  'claude-sonnet-4': row('Claude Sonnet 4.x', 3, 15, 3.75, 0.3),
  'claude-3-7-sonnet': row('Claude Sonnet 3.7', 3, 15, 3.75, 0.3),
  'claude-3-5-sonnet': row('Claude Sonnet 3.5', 3, 15, 3.75, 0.3),
  'claude-haiku-4-5': row('Claude Haiku 4.5', 1, 5, 1.25, 0.1),
  'claude-haiku-4': row('Claude Haiku 4.x (newest price)', 1, 5, 1.25, 0.1),
  'claude-3-5-haiku': row('Claude Haiku 3.5', 0.8, 4, 1, 0.08),
  'claude-3-haiku': row('Claude Haiku 3', 0.25, 1.25, 0.3, 0.03),

  'gpt-5.2-pro': row('GPT-5.2 pro', 21, 168, 21, 21),
  'gpt-5.2': row('GPT-5.2', 1.75, 14, 1.75, 0.175),
  'gpt-5.1-codex-max': row('GPT-5.1-Codex-Max', 1.25, 10, 1.25, 0.125),
  'gpt-5.1-codex-mini': row('GPT-5.1-Codex-Mini', 0.25, 2, 0.25, 0.025),
  'gpt-5.1-codex': row('GPT-5.1-Codex', 1.25, 10, 1.25, 0.125),
  'gpt-5.1': row('GPT-5.1', 1.25, 10, 1.25, 0.125),
  'gpt-5-codex': row('GPT-5-Codex', 1.25, 10, 1.25, 0.125),
  'gpt-5-pro': row('GPT-5 pro', 15, 120, 15, 15),
  'gpt-5-mini': row('GPT-5 mini', 0.25, 2, 0.25, 0.025),
  'gpt-5-nano': row('GPT-5 nano', 0.05, 0.4, 0.05, 0.005),
  'gpt-5': row('GPT-5', 1.25, 10, 1.25, 0.125),
  'gpt-4.1-mini': row('GPT-4.1 mini', 0.4, 1.6, 0.4, 0.1),
  'gpt-4.1-nano': row('GPT-4.1 nano', 0.1, 0.4, 0.1, 0.025),
  'gpt-4.1': row('GPT-4.1', 2, 8, 2, 0.5),
  'gpt-4o-mini': row('GPT-4o mini', 0.15, 0.6, 0.15, 0.075),
  'gpt-4o-2024-05-13': row('GPT-4o (first release)', 5, 15, 5, 5),
  'gpt-4o': row('GPT-4o', 2.5, 10, 2.5, 1.25),
  'o1-pro': row('o1-pro', 150, 600, 150, 150),
  'o1-mini': row('o1-mini', 1.1, 4.4, 1.1, 0.55),
  'o1': row('o1', 15, 60, 15, 7.5),
  'o3-pro': row('o3-pro', 20, 80, 20, 20),
  'o3-deep-research': row('o3-deep-research', 10, 40, 10, 2.5),
  'o3-mini': row('o3-mini', 1.1, 4.4, 1.1, 0.55),
  'o3': row('o3', 2, 8, 2, 0.5),
  'o4-mini-deep-research': row('o4-mini-deep-research', 2, 8, 2, 0.5),
  'o4-mini': row('o4-mini', 1.1, 4.4, 1.1, 0.275),
  'codex-mini-latest': row('codex-mini-latest', 1.5, 6, 1.5, 0.375),

  // DeepSeek-V3.2 prices (from 2025-09-29), the same for both names.
  'deepseek-chat': row('DeepSeek-V3.2 (non-thinking)', 0.28, 0.42, 0.28, 0.028),
  'deepseek-reasoner': row('DeepSeek-V3.2 (thinking)', 0.28, 0.42, 0.28, 0.028),
})
