import { resetFailoverRoute } from '../../../utils/config/scheduler-routes'

export default resetFailoverRoute()
