import { readFileSync } from 'node:fs'
import { Env, StsEndpoint } from '@alicred/core'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'

const vectors = JSON.parse(readFileSync(new URL('../fixtures/vectors.json', import.meta.url), 'utf8'))
  .stsEndpoint as ReadonlyArray<{ given: { endpoint?: string; region?: string; vpc?: boolean }; expected: string }>

const env = (record: Record<string, string> = {}) => Env.fromRecord(record)

describe('StsEndpoint.select (§2.4 step 7, §6.7)', () => {
  it.each(vectors)('$given → $expected', ({ given, expected }) => {
    expect(StsEndpoint.select(given, env())).toEqual(E.right(expected))
  })

  it.each([
    [{}, { ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'true' }, 'sts.aliyuncs.com'],
    [{ region: 'cn-beijing' }, { ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'true' }, 'sts-vpc.cn-beijing.aliyuncs.com'],
    [{ region: 'cn-beijing' }, { ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'TRUE' }, 'sts-vpc.cn-beijing.aliyuncs.com'],
    [{ region: 'cn-beijing' }, { ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: '1' }, 'sts.cn-beijing.aliyuncs.com'],
    [{}, { ALIBABA_CLOUD_STS_REGION: 'cn-shanghai' }, 'sts.cn-shanghai.aliyuncs.com'],
    [
      {},
      { ALIBABA_CLOUD_STS_REGION: ' cn-shanghai ', ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'true' },
      'sts-vpc.cn-shanghai.aliyuncs.com',
    ],
    [{ region: 'cn-hangzhou' }, { ALIBABA_CLOUD_STS_REGION: 'cn-shanghai' }, 'sts.cn-hangzhou.aliyuncs.com'],
    [{ region: '  ' }, { ALIBABA_CLOUD_STS_REGION: 'cn-shanghai' }, 'sts.cn-shanghai.aliyuncs.com'],
    [
      { region: 'cn-beijing', vpc: false },
      { ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'true' },
      'sts.cn-beijing.aliyuncs.com',
    ],
    [
      { endpoint: 'http://127.0.0.1:9000', region: 'cn-beijing', vpc: true },
      { ALIBABA_CLOUD_STS_REGION: 'cn-shanghai' },
      'http://127.0.0.1:9000',
    ],
  ])('%j with env %j → %s', (given, record, expected) => {
    expect(StsEndpoint.select(given, env(record))).toEqual(E.right(expected))
  })

  it.each([
    ['test_sts_region', 'sts-vpc.test_sts_region.aliyuncs.com'],
    ['CN-Hangzhou', 'sts-vpc.CN-Hangzhou.aliyuncs.com'],
    ['a', 'sts-vpc.a.aliyuncs.com'],
    ['x'.repeat(63), `sts-vpc.${'x'.repeat(63)}.aliyuncs.com`],
  ])('takes any host-label-shaped region id: %s', (region, host) => {
    expect(StsEndpoint.select({ region, vpc: true }, env())).toEqual(E.right(host))
  })

  it.each([
    'cn-beijing.evil.example',
    'cn/beijing',
    'user@cn-beijing',
    'cn-beijing:443',
    'cn beijing',
    '-cn',
    'cn-',
    'x'.repeat(64),
    'cn\u0000x',
    'cn-hangzhou#',
    'cn?x',
  ])('refuses a region id that would change the host: %j', (region) => {
    expect(StsEndpoint.select({ region }, env())).toEqual(
      E.left({ key: 'region', message: 'the STS region is not a region id (like cn-hangzhou)' }),
    )
  })

  it('refuses a region that is not a region id, naming the env var it came from', () => {
    expect(StsEndpoint.select({}, env({ ALIBABA_CLOUD_STS_REGION: 'cn-beijing.evil.example/' }))).toEqual(
      E.left({
        key: 'region',
        envVar: 'ALIBABA_CLOUD_STS_REGION',
        message: 'the STS region is not a region id (like cn-hangzhou); check ALIBABA_CLOUD_STS_REGION',
      }),
    )
    expect(StsEndpoint.select({ region: 'CN Hangzhou' }, env())).toEqual(
      E.left({ key: 'region', message: 'the STS region is not a region id (like cn-hangzhou)' }),
    )
  })
})

describe('StsEndpoint.baseUrl', () => {
  it.each([
    ['sts.aliyuncs.com', 'https://sts.aliyuncs.com/'],
    [' sts.cn-beijing.aliyuncs.com ', 'https://sts.cn-beijing.aliyuncs.com/'],
    ['sts.aliyuncs.com:8443', 'https://sts.aliyuncs.com:8443/'],
    ['https://sts.aliyuncs.com', 'https://sts.aliyuncs.com/'],
    ['HTTPS://STS.aliyuncs.com/', 'https://sts.aliyuncs.com/'],
    ['http://127.0.0.1:43123', 'http://127.0.0.1:43123/'],
    ['http://127.1.2.3:80/sts/', 'http://127.1.2.3/sts/'],
    ['http://localhost:8080', 'http://localhost:8080/'],
    ['http://[::1]:8080', 'http://[::1]:8080/'],
  ])('%s → %s', (endpoint, expected) => {
    expect(StsEndpoint.baseUrl(endpoint)).toEqual(E.right(expected))
  })

  it.each([
    ['http://sts.aliyuncs.com', 'uses plain http:// to sts.aliyuncs.com'],
    ['http://10.0.0.1:8080', 'uses plain http:// to 10.0.0.1'],
    ['ftp://sts.aliyuncs.com', 'must use https://'],
    ['https://sts.aliyuncs.com/?x=1', 'must not contain a query string or fragment'],
    ['https://sts.aliyuncs.com/#x', 'must not contain a query string or fragment'],
    ['sts.aliyuncs.com?', 'must not contain a query string or fragment'],
    ['https://user:pass@sts.aliyuncs.com', 'must not contain user info'],
    ['not a host', 'is not a host name or URL'],
    ['', 'is not a host name or URL'],
  ])('refuses %j', (endpoint, why) => {
    const r = StsEndpoint.baseUrl(endpoint)
    expect(E.isLeft(r) && r.left.key).toBe('endpoint')
    expect(E.isLeft(r) && r.left.message).toContain(why)
    expect(E.isLeft(r) && r.left.message).not.toContain('pass')
  })

  it('allows plain http to any host only when asked to', () => {
    expect(StsEndpoint.baseUrl('http://sts-emulator:8080', true)).toEqual(E.right('http://sts-emulator:8080/'))
  })
})

describe('StsEndpoint.resolve', () => {
  it('selects then builds the URL', () => {
    expect(StsEndpoint.resolve({}, env())).toEqual(E.right('https://sts.aliyuncs.com/'))
    expect(StsEndpoint.resolve({ region: 'cn-hangzhou', vpc: true }, env())).toEqual(
      E.right('https://sts-vpc.cn-hangzhou.aliyuncs.com/'),
    )
    expect(StsEndpoint.resolve({ endpoint: 'http://127.0.0.1:1' }, env())).toEqual(E.right('http://127.0.0.1:1/'))
    expect(StsEndpoint.resolve({ endpoint: 'http://intranet-sts', allowInsecureHttp: true }, env())).toEqual(
      E.right('http://intranet-sts/'),
    )
    expect(E.isLeft(StsEndpoint.resolve({ endpoint: 'http://intranet-sts' }, env()))).toBe(true)
  })
})
