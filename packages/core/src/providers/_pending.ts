// Placeholder used while a provider is being written; removed when every provider has landed.
import { SourceFailure } from '../CredentialsError.js'
import { fail, type Provider } from '../Provider.js'

export const pending = (name: string): Provider => fail(new SourceFailure(name, `${name} is not implemented yet`))
