/**
 * STS endpoint selection: explicit endpoint (with optional scheme), else `sts[-vpc].<region>.aliyuncs.com`, else
 * `sts.aliyuncs.com`; region and VPC fall back to `ALIBABA_CLOUD_STS_REGION` / `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export interface StsEndpointOptions {
  /** Host or URL (`sts.cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:8080`). Wins over region and VPC. */
  readonly endpoint?: string
  /** Region id, e.g. `cn-hangzhou`. */
  readonly region?: string
  /** Use the VPC endpoint (`sts-vpc.<region>`). Has no effect without a region. */
  readonly vpc?: boolean
}
