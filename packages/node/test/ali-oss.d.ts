// The part of ali-oss (which ships no types) the adapter tests use.
declare module 'ali-oss' {
  interface PutResult {
    readonly res: { readonly status: number }
  }
  class OSS {
    constructor(options: Record<string, unknown>)
    put(name: string, body: Uint8Array): Promise<PutResult>
  }
  export default OSS
}
