/** A stand-in identity provider: an RS256 key pair whose public half is served as a JWKS over HTTP. */
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';

export interface TestIdentityProvider {
  /** The JWKS URL to give HRU_JWKS_URL. */
  url: string;
  /** Signs tokens as the provider (key id `k1`). */
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  close(): Promise<void>;
}

export async function startIdentityProvider(): Promise<TestIdentityProvider> {
  const pair = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`,
    privateKey: pair.privateKey,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
