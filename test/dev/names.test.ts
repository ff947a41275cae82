import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import {
  certificateNames,
  checkHostName,
  dnsWithinConstraints,
  ipWithinConstraints,
  isLoopbackAddress,
  lanAddresses,
  normalizeAddress,
} from '../../src/dev/names.js';

test('--host: names inside the CA constraints are accepted and normalised', () => {
  const valid: [string, string][] = [
    ['myapp.localhost', 'myapp.localhost'],
    ['MyApp.Localhost', 'myapp.localhost'],
    ['api.myapp.test', 'api.myapp.test'],
    ['myapp.test.', 'myapp.test'],
    ['printer.local', 'printer.local'],
    ['svc.internal', 'svc.internal'],
    ['nas.home.arpa', 'nas.home.arpa'],
    ['*.myapp.test', '*.myapp.test'],
    ['localhost', 'localhost'],
    ['192.168.1.20', '192.168.1.20'],
    ['10.0.0.7', '10.0.0.7'],
    ['172.20.1.1', '172.20.1.1'],
    ['[::1]', '::1'],
    ['fd12:3456::1', 'fd12:3456::1'],
    ['::ffff:127.0.0.2', '127.0.0.2'],
  ];
  for (const [input, want] of valid) assert.equal(checkHostName(input), want, input);
});

test('--host: names outside the constraints or malformed are refused with one clear line', () => {
  const invalid: [string, RegExp][] = [
    ['example.com', /only certify local names.*example\.localhost or example\.test/],
    ['localhost.com', /only certify local names/],
    ['mytest', /only certify local names/],
    ['evil-test', /only certify local names/],
    ['8.8.8.8', /only certify loopback and private addresses/],
    ['100.64.0.1', /only certify loopback and private addresses/],
    ['172.32.0.1', /only certify loopback and private addresses/],
    ['2001:db8::1', /only certify loopback and private addresses/],
    ['', /needs a name/],
    ['bad_name.test', /not a valid host name/],
    ['-x.test', /not a valid host name/],
    ['a..test', /not a valid host name/],
    ['x'.repeat(64) + '.test', /not a valid host name/],
  ];
  for (const [input, re] of invalid) {
    assert.throws(
      () => checkHostName(input),
      (e: Error) => re.test(e.message) && !e.message.includes('\n'),
      input,
    );
  }
});

test('constraint checks follow RFC 5280 (labels added on the left) and the IP ranges', () => {
  assert.equal(dnsWithinConstraints('test'), true);
  assert.equal(dnsWithinConstraints('a.b.test'), true);
  assert.equal(dnsWithinConstraints('atest'), false);
  assert.equal(dnsWithinConstraints('*.localhost'), true);
  assert.equal(ipWithinConstraints('127.255.0.1'), true);
  assert.equal(ipWithinConstraints('::1'), true);
  assert.equal(ipWithinConstraints('::2'), false);
  assert.equal(ipWithinConstraints('192.169.0.1'), false);
  assert.equal(isLoopbackAddress('::ffff:127.0.0.1'), true);
  assert.equal(isLoopbackAddress('10.0.0.1'), false);
  assert.equal(normalizeAddress('[::1]'), '::1');
  assert.equal(normalizeAddress('0:0:0:0:0:0:0:1'), '::1');
  assert.equal(normalizeAddress('::ffff:7f00:1'), '127.0.0.1');
  assert.equal(normalizeAddress('FD12:3456:0:0::1'), 'fd12:3456::1');
});

const iface = (address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo =>
  ({
    address,
    family,
    internal,
    netmask: '',
    mac: '00:00:00:00:00:00',
    cidr: null,
    ...(family === 'IPv6' ? { scopeid: 0 } : {}),
  }) as NetworkInterfaceInfo;

test('--lan: private addresses are used, public and link-local ones are not', () => {
  const r = lanAddresses({
    lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
    eth0: [iface('192.168.1.20', 'IPv4'), iface('fe80::1', 'IPv6'), iface('fd00::20', 'IPv6')],
    tailscale0: [iface('100.101.102.103', 'IPv4')],
    wan: [iface('203.0.113.9', 'IPv4')],
  });
  assert.deepEqual(r.usable, ['192.168.1.20', 'fd00::20']);
  assert.deepEqual(r.skipped, ['100.101.102.103', '203.0.113.9']);
});

test('certificate names: loopback and *.localhost first, extra names once each', () => {
  assert.deepEqual(certificateNames(['myapp.test', '127.0.0.1', 'MYAPP.test', '192.168.1.2']), [
    'localhost',
    '*.localhost',
    '127.0.0.1',
    '::1',
    'myapp.test',
    '192.168.1.2',
  ]);
});
