import { Env } from '@alicred/core'
import { isLoopback, isNeverProxied, METADATA_HOST, PROXY_VARIABLES, routeFor } from '@alicred/node'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const route = (record: Record<string, string>, url: string) => routeFor(Env.fromRecord(record))(new URL(url))
const via = (proxy: string, variable: string) => ({
  _tag: 'Right',
  right: { _tag: 'Proxy', proxy: new URL(proxy), variable },
})
const direct = { _tag: 'Right', right: { _tag: 'Direct' } }

describe('routeFor', () => {
  it('goes direct when no proxy variable is set', () => {
    expect(route({}, 'https://sts.aliyuncs.com/')).toEqual(direct)
  })

  it('uses the variable of the URL scheme: HTTPS_PROXY for https, HTTP_PROXY for http', () => {
    const env = { HTTPS_PROXY: 'http://secure.proxy:3128', HTTP_PROXY: 'http://plain.proxy:8080' }
    expect(route(env, 'https://sts.aliyuncs.com/')).toEqual(via('http://secure.proxy:3128', 'HTTPS_PROXY'))
    expect(route(env, 'http://sts.aliyuncs.com/')).toEqual(via('http://plain.proxy:8080', 'HTTP_PROXY'))
  })

  it('prefers lower case, falls back to upper case, then to ALL_PROXY', () => {
    expect(route({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, 'https://a.example/')).toEqual(
      via('http://lower:1', 'https_proxy'),
    )
    expect(route({ https_proxy: '', HTTPS_PROXY: 'http://upper:2' }, 'https://a.example/')).toEqual(
      via('http://upper:2', 'HTTPS_PROXY'),
    )
    expect(route({ ALL_PROXY: 'http://all:3' }, 'https://a.example/')).toEqual(via('http://all:3', 'ALL_PROXY'))
  })

  it('gives a proxy without a scheme the scheme of the request', () => {
    expect(route({ HTTP_PROXY: 'proxy.internal:8080' }, 'http://a.example/')).toEqual(
      via('http://proxy.internal:8080', 'HTTP_PROXY'),
    )
  })

  it('honours NO_PROXY and no_proxy: exact hosts, domain suffixes, ports and *', () => {
    const proxied = { HTTPS_PROXY: 'http://p:1' }
    expect(route({ ...proxied, NO_PROXY: 'sts.aliyuncs.com' }, 'https://sts.aliyuncs.com/')).toEqual(direct)
    expect(route({ ...proxied, no_proxy: '.aliyuncs.com' }, 'https://sts-vpc.cn-hangzhou.aliyuncs.com/')).toEqual(
      direct,
    )
    expect(route({ ...proxied, NO_PROXY: 'a.example:8443' }, 'https://a.example:8443/')).toEqual(direct)
    expect(route({ ...proxied, NO_PROXY: 'a.example:8443' }, 'https://a.example/')).toEqual(
      via('http://p:1', 'HTTPS_PROXY'),
    )
    expect(route({ ...proxied, NO_PROXY: '*' }, 'https://anything.example/')).toEqual(direct)
    expect(route({ ...proxied, NO_PROXY: 'other.example' }, 'https://sts.aliyuncs.com/')).toEqual(
      via('http://p:1', 'HTTPS_PROXY'),
    )
  })

  it('never proxies loopback or the metadata host, whatever the variables say', () => {
    const all = Object.fromEntries(PROXY_VARIABLES.filter((v) => !/no_proxy/i.test(v)).map((v) => [v, 'http://p:1']))
    for (const url of [
      'http://127.0.0.1:8080/',
      'https://127.0.0.1/',
      'http://127.1.2.3/',
      'http://localhost:3000/',
      'http://api.localhost/',
      'http://[::1]:8080/',
      `http://${METADATA_HOST}/latest/api/token`,
      `http://${METADATA_HOST}:80/latest/meta-data/`,
    ]) {
      expect([url, route(all, url)]).toEqual([url, direct])
    }
  })

  it('reports an unparsable proxy by variable name, without its value', () => {
    const r = route({ HTTPS_PROXY: 'http://user:hunter2@[broken' }, 'https://sts.aliyuncs.com/')
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        variable: 'HTTPS_PROXY',
        message: 'HTTPS_PROXY is not a valid proxy URL; set it to http://host:port (or unset it)',
      },
    })
    expect(JSON.stringify(r)).not.toContain('hunter2')
  })

  it('rejects proxy schemes other than http and https', () => {
    expect(route({ all_proxy: 'socks5://127.0.0.1:1080' }, 'https://sts.aliyuncs.com/')).toEqual({
      _tag: 'Left',
      left: {
        variable: 'all_proxy',
        message: 'all_proxy uses the unsupported scheme socks5:; only http:// and https:// proxies are supported',
      },
    })
  })

  it('reads the injected Env, leaves process.env as it was, and never reads it', () => {
    const before = process.env
    const snapshot = { ...process.env }
    route({ HTTPS_PROXY: 'http://p:1' }, 'https://sts.aliyuncs.com/')
    expect(process.env).toBe(before)
    expect({ ...process.env }).toEqual(snapshot)
    // With the injected env empty, a proxy that might be set in the real environment is not used.
    expect(route({}, 'https://sts.aliyuncs.com/')).toEqual(direct)
  })

  it('law: for any proxy settings, loopback and metadata URLs go direct', () => {
    const value = fc.oneof(fc.constant('http://p:1'), fc.constant('not a url'), fc.string(), fc.constant('*'))
    const envs = fc.dictionary(fc.constantFrom(...PROXY_VARIABLES), value)
    const hosts = fc.oneof(
      fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `127.${a}.${b}.${c}`),
      fc.constantFrom('localhost', '[::1]', METADATA_HOST, 'x.localhost'),
    )
    fc.assert(
      fc.property(envs, hosts, fc.constantFrom('http', 'https'), (env, host, scheme) => {
        expect(route(env, `${scheme}://${host}/path`)).toEqual(direct)
      }),
    )
  })
})

describe('isLoopback / isNeverProxied', () => {
  it('knows loopback names and addresses, and nothing else', () => {
    expect(
      ['localhost', 'LOCALHOST.', '127.0.0.1', '127.255.0.9', '::1', '[::1]', '::ffff:127.0.0.1'].map(isLoopback),
    ).toEqual(Array(7).fill(true))
    expect(
      ['10.0.0.1', '128.0.0.1', 'localhost.example.com', '127.0.0.1.nip.io', METADATA_HOST, '::2'].map(isLoopback),
    ).toEqual(Array(6).fill(false))
    expect([METADATA_HOST, `${METADATA_HOST}.`, '100.100.100.201'].map(isNeverProxied)).toEqual([true, true, false])
  })
})
