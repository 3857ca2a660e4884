import { pingAllRoute } from '../../../utils/config/scheduler-routes'

export default pingAllRoute('chat')
