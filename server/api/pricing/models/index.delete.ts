import { deletePricingModelRoute } from '#server/utils/admin/pricing-routes'

export default deletePricingModelRoute()
