import proxyAddr from 'proxy-addr';

/** Express's `trust proxy` as this API allows it: off, a hop count, or the proxies' addresses. */
export type TrustProxy = false | number | string[];

/** The most proxy hops a deployment plausibly has; a larger count is a typo, not a topology. */
const MAX_HOPS = 10;

/**
 * TRUST_PROXY → Express `trust proxy`. Unset, empty, `false` or `0`: off (req.ip is the peer's
 * address). A whole number: trust that many hops in front of the API. Otherwise a comma-separated
 * list of the proxies' addresses or subnets (`10.0.0.0/8`, `loopback`, `uniquelocal`), checked
 * by the same parser Express uses. `true` is refused: trusting every hop lets any client choose
 * its own address in X-Forwarded-For, and so escape the failed-authentication limit.
 * Returns a message (naming no secret) when the value is not one of these.
 */
export function parseTrustProxy(raw: string | undefined): { ok: true; value: TrustProxy } | { ok: false; why: string } {
  const text = (raw ?? '').trim();
  if (text === '' || text === 'false' || text === '0') return { ok: true, value: false };
  if (text === 'true')
    return {
      ok: false,
      why:
        'true would trust every X-Forwarded-For hop, so any client could pick its own address; ' +
        'give the hop count or the proxies’ addresses',
    };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= MAX_HOPS
      ? { ok: true, value: hops }
      : { ok: false, why: `a hop count must be 0–${MAX_HOPS} (the number of proxies in front of the API)` };
  }
  const entries = text.split(',').map((s) => s.trim());
  for (const [index, entry] of entries.entries()) {
    try {
      proxyAddr.compile(entry);
    } catch {
      return {
        ok: false,
        why:
          `entry ${index + 1} of ${entries.length} is not an address, a subnet (address/prefix) ` +
          'or one of loopback, linklocal, uniquelocal',
      };
    }
  }
  return { ok: true, value: entries };
}
