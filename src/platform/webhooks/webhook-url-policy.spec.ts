import { refusedRange, WebhookUrlError, WebhookUrlPolicy } from './webhook-url-policy.js';

async function problemOf(policy: WebhookUrlPolicy, url: string) {
  try {
    await policy.check(url);
    return null;
  } catch (e) {
    if (e instanceof WebhookUrlError) return e.problem;
    throw e;
  }
}

describe('refusedRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['64:ff9b::a00:1', 'reserved'],
  ])('%s is %s', (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111'])(
    '%s is public',
    (address) => {
      expect(refusedRange(address)).toBeNull();
    },
  );
});

describe('WebhookUrlPolicy', () => {
  const strict = new WebhookUrlPolicy([]);

  it('refuses other schemes, credentials and garbage', async () => {
    expect(await problemOf(strict, 'ftp://93.184.215.14/x')).toMatchObject({ kind: 'invalid' });
    expect(await problemOf(strict, 'file:///etc/passwd')).toMatchObject({ kind: 'invalid' });
    expect(await problemOf(strict, 'not a url')).toMatchObject({ kind: 'invalid' });
    expect(await problemOf(strict, 'https://user:pw@93.184.215.14/')).toMatchObject({
      kind: 'invalid',
      message: 'must not contain a user name or password',
    });
  });

  it('refuses internal addresses however they are spelled', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://0x7f.1/hook',
      'http://2130706433/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://10.0.0.5/',
      'http://169.254.169.254/latest/meta-data',
      'http://localhost:3000/',
    ]) {
      expect(await problemOf(strict, url)).toMatchObject({ kind: 'refused' });
    }
  });

  it('passes public addresses and pins them for the connection', async () => {
    const target = await strict.check('https://93.184.215.14:8443/hooks?x=1');
    expect(target).toMatchObject({
      host: '93.184.215.14',
      addresses: [{ address: '93.184.215.14', family: 4 }],
    });
  });

  it('lets the admin allow hosts, addresses and ranges', async () => {
    const allowing = new WebhookUrlPolicy(['localhost', '10.20.0.0/16', '::1']);
    expect(await problemOf(allowing, 'http://localhost:3000/')).toBeNull();
    expect(await problemOf(allowing, 'http://10.20.3.4/')).toBeNull();
    expect(await problemOf(allowing, 'http://[::1]:9/')).toBeNull();
    expect(await problemOf(allowing, 'http://10.21.0.1/')).toMatchObject({
      kind: 'refused',
      range: 'private',
    });
    expect(await problemOf(allowing, 'http://127.0.0.1/')).toMatchObject({ kind: 'refused' });
  });
});
