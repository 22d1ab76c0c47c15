// The proxy-from-env 2.x test suite (Rob--W/proxy-from-env, test.js, MIT), ported as tables: same environments, same
// URLs, same expected proxy ('' for a direct connection). Left out: its invalid-URL cases (`bogus`, `//example.com`,
// `http://abc\x00/`, non-URL objects): here the caller holds a parsed `URL`, so they cannot occur.
import { Env } from '@alicred/core'
import { describe, expect, it } from 'vitest'
import { noProxyMatches, proxyForUrl } from '../../src/internal/ProxyEnv.js'
import { PROXY_VARIABLES } from '../../src/Proxy.js'

type Row = readonly [url: string, expected: string]
type Group = readonly [title: string, env: Readonly<Record<string, string>>, rows: ReadonlyArray<Row>]

const proxyOf = (env: Readonly<Record<string, string>>, url: string): string =>
  proxyForUrl(Env.fromRecord(env))(new URL(url))?.value ?? ''

const P = 'http://proxy'
const noProxy = (list: string): Record<string, string> => ({ HTTP_PROXY: P, NO_PROXY: list })

const groups: ReadonlyArray<Group> = [
  [
    'no proxy variables',
    {},
    [
      ['http://example.com', ''],
      ['https://example.com', ''],
      ['ftp://example.com', ''],
    ],
  ],
  [
    'HTTP_PROXY is for http only',
    { HTTP_PROXY: 'http://http-proxy' },
    [
      ['https://example', ''],
      ['http://example', 'http://http-proxy'],
    ],
  ],
  [
    'http_proxy wins over HTTP_PROXY',
    { HTTP_PROXY: 'http://http-proxy', http_proxy: 'http://priority' },
    [['http://example', 'http://priority']],
  ],
  [
    'a value with :// is passed as it is',
    { HTTP_PROXY: 'Crazy \n!() { ::// }' },
    [['http://wow', 'Crazy \n!() { ::// }']],
  ],
  [
    'a value without :// gets the request scheme',
    { HTTP_PROXY: 'crazy without colon slash slash' },
    [['http://wow', 'http://crazy without colon slash slash']],
  ],
  ['no fallback from https to HTTP_PROXY', { HTTP_PROXY: 'http://unexpected.proxy' }, [['https://example', '']]],
  [
    'HTTPS_PROXY',
    { HTTP_PROXY: 'http://unexpected.proxy', HTTPS_PROXY: 'http://https-proxy' },
    [['https://example', 'http://https-proxy']],
  ],
  [
    'https_proxy wins over HTTPS_PROXY',
    { HTTPS_PROXY: 'http://https-proxy', https_proxy: 'http://priority' },
    [['https://example', 'http://priority']],
  ],
  [
    'FTP_PROXY',
    { FTP_PROXY: 'http://ftp-proxy' },
    [
      ['ftp://example', 'http://ftp-proxy'],
      ['ftps://example', ''],
    ],
  ],
  ['ALL_PROXY is the fallback', { ALL_PROXY: 'http://catch-all' }, [['https://example', 'http://catch-all']]],
  [
    'all_proxy wins over ALL_PROXY',
    { ALL_PROXY: 'http://catch-all', all_proxy: 'http://priority' },
    [['https://example', 'http://priority']],
  ],
  [
    'ALL_PROXY without a scheme',
    { ALL_PROXY: 'noscheme' },
    [
      ['http://example', 'http://noscheme'],
      ['https://example', 'https://noscheme'],
      ['bogus-scheme://example', 'bogus-scheme://noscheme'],
    ],
  ],
  ['NO_PROXY without entries', { HTTPS_PROXY: P }, [['https://example', P]]],
  ...['', ',', ' ', ',\t,,,\n,  ,\r'].map(
    (list): Group => [
      `NO_PROXY=${JSON.stringify(list)} has no entries`,
      { HTTPS_PROXY: P, NO_PROXY: list },
      [['https://example', P]],
    ],
  ),
  [
    'NO_PROXY=example: that host, any port',
    noProxy('example'),
    [
      ['http://example', ''],
      ['http://example:80', ''],
      ['http://example:0', ''],
      ['http://example:1337', ''],
      ['http://sub.example', P],
      ['http://prefexample', P],
      ['http://example.no', P],
      ['http://a.b.example', P],
      ['http://host/example', P],
    ],
  ],
  [
    'NO_PROXY=sub.example: that subdomain only',
    noProxy('sub.example'),
    [
      ['http://example', P],
      ['http://example:80', P],
      ['http://example:0', P],
      ['http://example:1337', P],
      ['http://sub.example', ''],
      ['http://no.sub.example', P],
      ['http://sub-example', P],
      ['http://example.sub', P],
    ],
  ],
  [
    'NO_PROXY=example:80: that host on that port (default ports count)',
    noProxy('example:80'),
    [
      ['http://example', ''],
      ['http://example:80', ''],
      ['http://example:0', ''],
      ['http://example:1337', P],
      ['http://sub.example', P],
      ['http://prefexample', P],
      ['http://example.no', P],
      ['http://a.b.example', P],
    ],
  ],
  ...['.example', '*.example'].map(
    (list): Group => [
      `NO_PROXY=${list}: subdomains, not the domain itself`,
      noProxy(list),
      [
        ['http://example', P],
        ['http://example:80', P],
        ['http://example:1337', P],
        ['http://sub.example', ''],
        ['http://sub.example:80', ''],
        ['http://sub.example:1337', ''],
        ['http://prefexample', P],
        ['http://example.no', P],
        ['http://a.b.example', ''],
      ],
    ],
  ),
  ['NO_PROXY=*: never a proxy', noProxy('*'), [['http://example.com', '']]],
  [
    'NO_PROXY=*example: any host ending so',
    noProxy('*example'),
    [
      ['http://example', ''],
      ['http://example:80', ''],
      ['http://example:1337', ''],
      ['http://sub.example', ''],
      ['http://sub.example:80', ''],
      ['http://sub.example:1337', ''],
      ['http://prefexample', ''],
      ['http://a.b.example', ''],
      ['http://example.no', P],
      ['http://host/example', P],
    ],
  ],
  [
    'NO_PROXY=.*example: no wildcards inside an entry',
    noProxy('.*example'),
    [
      ['http://example', P],
      ['http://sub.example', P],
      ['http://prefexample', P],
      ['http://x.prefexample', P],
      ['http://a.b.example', P],
    ],
  ],
  [
    'NO_PROXY with IP addresses, with and without port',
    noProxy('[::1],[::2]:80,10.0.0.1,10.0.0.2:80'),
    [
      ['http://[::1]/', ''],
      ['http://[::1]:80/', ''],
      ['http://[::1]:1337/', ''],
      ['http://[::2]/', ''],
      ['http://[::2]:80/', ''],
      ['http://[::2]:1337/', P],
      ['http://10.0.0.1/', ''],
      ['http://10.0.0.1:80/', ''],
      ['http://10.0.0.1:1337/', ''],
      ['http://10.0.0.2/', ''],
      ['http://10.0.0.2:80/', ''],
      ['http://10.0.0.2:1337/', P],
    ],
  ],
  [
    'NO_PROXY=127.0.0.1/32: no CIDR ranges',
    noProxy('127.0.0.1/32'),
    [
      ['http://127.0.0.1', P],
      ['http://127.0.0.1/32', P],
    ],
  ],
  [
    'NO_PROXY=127.0.0.1 does not match localhost (no DNS)',
    noProxy('127.0.0.1'),
    [
      ['http://127.0.0.1', ''],
      ['http://localhost', P],
    ],
  ],
  [
    'NO_PROXY ports: each scheme has its default port',
    {
      WS_PROXY: 'http://ws',
      WSS_PROXY: 'http://wss',
      HTTP_PROXY: 'http://http',
      HTTPS_PROXY: 'http://https',
      GOPHER_PROXY: 'http://gopher',
      FTP_PROXY: 'http://ftp',
      ALL_PROXY: 'http://all',
      NO_PROXY: 'xxx:21,xxx:70,xxx:80,xxx:443',
    },
    [
      ['http://xxx', ''],
      ['http://xxx:80', ''],
      ['http://xxx:1337', 'http://http'],
      ['ws://xxx', ''],
      ['ws://xxx:80', ''],
      ['ws://xxx:1337', 'http://ws'],
      ['https://xxx', ''],
      ['https://xxx:443', ''],
      ['https://xxx:1337', 'http://https'],
      ['wss://xxx', ''],
      ['wss://xxx:443', ''],
      ['wss://xxx:1337', 'http://wss'],
      ['gopher://xxx', ''],
      ['gopher://xxx:70', ''],
      ['gopher://xxx:1337', 'http://gopher'],
      ['ftp://xxx', ''],
      ['ftp://xxx:21', ''],
      ['ftp://xxx:1337', 'http://ftp'],
    ],
  ],
  [
    'NO_PROXY is not case-sensitive',
    noProxy('XXX,YYY,ZzZ'),
    [
      ['http://xxx', ''],
      ['http://XXX', ''],
      ['http://yyy', ''],
      ['http://YYY', ''],
      ['http://ZzZ', ''],
      ['http://zZz', ''],
    ],
  ],
  [
    'npm_config_*_proxy variables are not read',
    {
      npm_config_http_proxy: 'http://http-proxy',
      npm_config_https_proxy: 'http://https-proxy',
      npm_config_proxy: 'http://unexpected-proxy',
    },
    [
      ['http://example', ''],
      ['https://example', ''],
    ],
  ],
]

describe('proxyForUrl: the proxy-from-env cases', () => {
  describe.each(groups)('%s', (_, env, rows) => {
    it.each(rows)('%j → %j', (url, expected) => {
      expect(proxyOf(env, url)).toBe(expected)
    })
  })
})

describe('proxyForUrl', () => {
  it('names the variable the proxy came from; an empty lower-case variable counts as unset', () => {
    const of = (env: Record<string, string>, url: string) => proxyForUrl(Env.fromRecord(env))(new URL(url))
    expect(of({ https_proxy: '', HTTPS_PROXY: 'p:1' }, 'https://a.example/')).toEqual({
      variable: 'HTTPS_PROXY',
      value: 'https://p:1',
    })
    expect(of({ all_proxy: 'http://p:1', HTTPS_PROXY: '' }, 'https://a.example/')).toEqual({
      variable: 'all_proxy',
      value: 'http://p:1',
    })
    expect(of({ no_proxy: '', NO_PROXY: 'a.example', ALL_PROXY: 'http://p:1' }, 'https://a.example/')).toBe(undefined)
  })

  it('for http and https URLs, reads only the variables PROXY_VARIABLES lists, and only from the given Env', () => {
    const read = new Set<string>()
    const env = Env.fromFunction((name) => {
      read.add(name)
      return undefined
    })
    for (const url of ['http://a.example/', 'https://a.example:8443/']) proxyForUrl(env)(new URL(url))
    expect([...read].sort()).toEqual([...PROXY_VARIABLES].sort())
  })
})

describe('noProxyMatches', () => {
  it('skips empty entries and compares ports only when the entry has one', () => {
    expect(noProxyMatches(' , a.example:0 ,', 'a.example', 443)).toBe(true)
    expect(noProxyMatches('a.example:443', 'a.example', 80)).toBe(false)
    expect(noProxyMatches('', 'a.example', 80)).toBe(false)
  })
})
