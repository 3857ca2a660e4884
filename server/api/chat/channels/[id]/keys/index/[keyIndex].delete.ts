import { deleteKeyRoute } from '#server/utils/admin/channel-routes'

export default deleteKeyRoute('chat')
