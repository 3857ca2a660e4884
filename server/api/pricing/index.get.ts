import { getPricingRoute } from '#server/utils/admin/pricing-routes'

export default getPricingRoute()
