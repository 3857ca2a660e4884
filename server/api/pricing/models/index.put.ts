import { upsertPricingModelsRoute } from '#server/utils/admin/pricing-routes'

export default upsertPricingModelsRoute()
