import { useConfigStore } from '../../utils/config'
import { listModels, passesModelsThrough, servingChannels } from '../../utils/models/list'
import { upstreamModelsOf } from '../../utils/models/upstream-cache'

/** The models the config can serve, in a list both the Anthropic and the OpenAI SDK accept. */
export default defineEventHandler(async (event) => {
  const limit = Number(getQuery(event).limit)
  const { config } = useConfigStore().get()
  const upstream = await upstreamModelsOf(servingChannels(config).filter(passesModelsThrough))
  return listModels(config, upstream, Number.isInteger(limit) && limit > 0 ? Math.min(limit, 1000) : 1000)
})
