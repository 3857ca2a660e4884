import { putFailoverRoute } from '../../utils/config/scheduler-routes'

export default putFailoverRoute()
