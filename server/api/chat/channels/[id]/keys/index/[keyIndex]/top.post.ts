import { moveKeyRoute } from '../../../../../../../utils/config/channel-routes'

export default moveKeyRoute('chat', 'top')
