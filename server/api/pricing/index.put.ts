import { putPricingRoute } from '#server/utils/admin/pricing-routes'

export default putPricingRoute()
