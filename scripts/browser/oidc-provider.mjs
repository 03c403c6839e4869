// A real OpenID provider for the tests (npm oidc-provider, pinned): one client, the
// yichuang server, and accounts whose claims carry identity numbers and, for an
// employer's agent, a credit code. Its development login and consent pages accept any
// password. Usage: node oidc-provider.mjs PORT REDIRECT_URL
import Provider from 'oidc-provider';

const [port, redirect] = process.argv.slice(2);
if (!port || !redirect) throw new Error('usage: node oidc-provider.mjs PORT REDIRECT_URL');

// Valid numbers: GB 11643 check digits, GB 32100 check character.
const accounts = {
  'zhang.san': { name: '张三', id_number: '11010519491231002X' },
  'agent.li': { name: '李四（代办）', id_number: '33021119800101001X', uscc: '91350100M000100Y43' },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'yichuang',
    client_secret: 'yichuang-test-secret',
    redirect_uris: [redirect],
    response_types: ['code'],
    grant_types: ['authorization_code'],
  }],
  scopes: ['openid', 'profile', 'identity'],
  claims: { openid: ['sub'], profile: ['name'], identity: ['id_number', 'uscc'] },
  pkce: { required: () => true },
  cookies: { keys: ['a test key, not a secret'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
});
provider.listen(Number(port), '127.0.0.1', () => console.log(`oidc provider listening on ${port}`));
