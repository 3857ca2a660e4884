import { resetPricingRoute } from '#server/utils/admin/pricing-routes'

export default resetPricingRoute()
