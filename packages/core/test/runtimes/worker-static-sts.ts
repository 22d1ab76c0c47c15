// A Cloudflare Worker that uses static keys and AssumeRole (STS): what WorkerBundle.test.ts measures.
import { Providers, webCapabilities } from '@alicred/core'

export default {
  async fetch(_request: Request, env: Record<string, string>): Promise<Response> {
    const caps = webCapabilities({ env })
    const source = Providers.staticAccessKey({ accessKeyId: env.AK_ID ?? '', accessKeySecret: env.AK_SECRET ?? '' })
    const role = Providers.ramRoleArn({ source, roleArn: env.ROLE_ARN ?? '' })(caps)
    const r = await role()()
    return new Response(r._tag === 'Right' ? 'ok' : r.left.message)
  },
}
