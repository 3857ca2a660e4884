import { putPricingModelByPathRoute } from '#server/utils/admin/pricing-routes'

export default putPricingModelByPathRoute()
