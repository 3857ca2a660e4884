import { moveKeyRoute } from '../../../../../../utils/config/channel-routes'

export default moveKeyRoute('messages', 'bottom')
