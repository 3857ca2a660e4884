import { deletePricingModelByPathRoute } from '#server/utils/admin/pricing-routes'

export default deletePricingModelByPathRoute()
