import type { ModelPrice, PricingModelEntry, PricingMutationResponse, PricingView } from '#shared/schemas/pricing'

/** What the pricing form edits: one model's prices, a blank cache price meaning "derived". */
export interface PricingDraft {
  model: string
  inputPrice: number | undefined
  outputPrice: number | undefined
  cacheCreationPrice: number | null
  cacheReadPrice: number | null
  description: string
  exportToModels: boolean
}

/** A table row as the form's starting point. */
export function toPricingDraft(model: string, p?: ModelPrice): PricingDraft {
  return {
    model,
    inputPrice: p?.inputPrice,
    outputPrice: p?.outputPrice,
    cacheCreationPrice: p?.cacheCreationPrice ?? null,
    cacheReadPrice: p?.cacheReadPrice ?? null,
    description: p?.description ?? '',
    exportToModels: p?.exportToModels ?? true,
  }
}

/**
 * The price table (`/api/pricing`) and its mutations. Every mutation answers with the whole
 * table, which replaces the cached one, so the screen never needs a second request.
 */
export function usePricing() {
  const { api } = useAdminApi()
  const { data, status, error, refresh } = useAsyncData('settings:pricing', () => api<PricingView>('/api/pricing'))

  const apply = (res: PricingMutationResponse) => {
    data.value = { models: res.models, currency: res.currency }
  }

  /** Saves one model; a rename (`original` differs) removes the old name afterwards. */
  async function save(entry: PricingModelEntry, original?: string) {
    apply(await api<PricingMutationResponse>('/api/pricing/models', { method: 'PUT', body: entry }))
    if (original && original !== entry.model) await remove(original)
  }

  async function remove(model: string) {
    apply(await api<PricingMutationResponse>('/api/pricing/models', { method: 'DELETE', query: { model } }))
  }

  async function reset() {
    apply(await api<PricingMutationResponse>('/api/pricing/reset', { method: 'POST' }))
  }

  return { pricing: data, status, error, refresh, save, remove, reset }
}
