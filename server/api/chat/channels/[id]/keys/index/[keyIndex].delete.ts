import { deleteKeyRoute } from '../../../../../../utils/config/channel-routes'

export default deleteKeyRoute('chat')
