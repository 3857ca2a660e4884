import { exhaustedKeysRoute } from '../../../../utils/config/scheduler-routes'

export default exhaustedKeysRoute('chat')
