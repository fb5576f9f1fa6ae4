import { createAccount, createOperator, createUser, type KeyPair } from '@nats-io/nkeys';

// nats-server's decentralized auth (operator → account → user JWTs) for tests: made here with
// NKeys, as `nsc` would, so a creds file can be tested without the nsc tool.

const encoder = new TextEncoder();
const base64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/** A NATS JWT with `claims` about `subject`, signed by `signer`. */
function signJwt(signer: KeyPair, subject: string, name: string, nats: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' }));
  const claims = { jti: '', iat: Math.floor(Date.now() / 1000), iss: signer.getPublicKey(), name, sub: subject, nats: { ...nats, version: 2 } };
  const body = base64url(JSON.stringify(claims));
  return `${header}.${body}.${base64url(signer.sign(encoder.encode(`${header}.${body}`)))}`;
}

/** An operator with one account: the server configuration that trusts it, and creds files for its users. */
export interface TestOperator {
  /** nats-server configuration: the operator and the account preloaded in a memory resolver. */
  config: string;
  /** The text of a creds file for a new user of the account. */
  userCreds(name: string): string;
  /** The text of a creds file for a user signed by an account the server does not know. */
  strangerCreds(): string;
}

export function makeTestOperator(): TestOperator {
  const operator = createOperator();
  const account = createAccount();
  const operatorJwt = signJwt(operator, operator.getPublicKey(), 'cliffracer-test', { type: 'operator' });
  const limits = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 };
  const accountJwt = signJwt(operator, account.getPublicKey(), 'shop', { type: 'account', limits });
  const creds = (signer: KeyPair, name: string) => {
    const user = createUser();
    const userJwt = signJwt(signer, user.getPublicKey(), name, { type: 'user', pub: {}, sub: {}, subs: -1, data: -1, payload: -1 });
    const seed = new TextDecoder().decode(user.getSeed());
    return `-----BEGIN NATS USER JWT-----\n${userJwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`;
  };
  return {
    config: `operator: ${operatorJwt}\nresolver: MEMORY\nresolver_preload: {\n  ${account.getPublicKey()}: ${accountJwt}\n}`,
    userCreds: (name) => creds(account, name),
    strangerCreds: () => creds(createAccount(), 'stranger'),
  };
}
