import { getFailoverRoute } from '../../utils/config/scheduler-routes'

export default getFailoverRoute()
