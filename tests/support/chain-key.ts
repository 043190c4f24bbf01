/** The chain key tests give stores that have no data dir to keep a generated one in (KurrentDB over the double). */
export const TEST_CHAIN_KEY = 'test-chain-key-0123456789abcdef0123456789';
