import { describe, expect, it } from 'vitest';
import { destinationRefusal, isPublicAddress, parseConnectTarget, parseForwardTarget, resolvedRefusal } from '../../../../src/shared/sandbox/egress-rules.js';
import { isHostName, normalizeHostName } from '../../../../src/shared/sandbox/host-name.js';

describe('egress rules', () => {
  it('reads CONNECT targets, normalizing the host, and rejects anything else', () => {
    expect(parseConnectTarget('API.GitHub.com.:443')).toEqual({ host: 'api.github.com', port: 443 });
    expect(parseConnectTarget('[::1]:80')).toEqual({ host: '::1', port: 80 });
    for (const bad of ['api.github.com', 'api.github.com:', 'api.github.com:0', 'api.github.com:70000', 'user@api.github.com:443', 'http://api.github.com:443', '[::1:80', 'a b:443', 'a\u0001b.com:443', 'a%2fb.com:443', '']) {
      expect(parseConnectTarget(bad), bad).toBeUndefined();
    }
  });

  it('reads absolute http:// URLs of plain proxy requests; other forms are not forwarded', () => {
    expect(parseForwardTarget('http://Api.Example.com/a/b?c=1')).toEqual({ host: 'api.example.com', port: 80, path: '/a/b?c=1' });
    expect(parseForwardTarget('http://api.example.com:8080/')).toEqual({ host: 'api.example.com', port: 8080, path: '/' });
    expect(parseForwardTarget('http://[::1]/')).toMatchObject({ host: '::1', port: 80 });
    for (const bad of ['/relative', 'https://api.example.com/', 'http://user:pw@api.example.com/', 'ftp://api.example.com/', 'not a url']) {
      expect(parseForwardTarget(bad), bad).toBeUndefined();
    }
  });

  it('allows only declared names, exactly, on ports 443 and 80', () => {
    const allowed = new Set(['api.github.com']);
    expect(destinationRefusal({ host: 'api.github.com', port: 443 }, allowed)).toBeUndefined();
    expect(destinationRefusal({ host: 'api.github.com', port: 80 }, allowed)).toBeUndefined();
    expect(destinationRefusal({ host: 'api.github.com', port: 22 }, allowed)).toBe('port-not-allowed');
    expect(destinationRefusal({ host: 'github.com', port: 443 }, allowed)).toBe('undeclared-host');
    expect(destinationRefusal({ host: 'evil.api.github.com', port: 443 }, allowed)).toBe('undeclared-host');
    expect(destinationRefusal({ host: '140.82.112.5', port: 443 }, allowed)).toBe('undeclared-host');
    expect(destinationRefusal({ host: 'api.github.com', port: 443 }, new Set())).toBe('undeclared-host');
  });

  it('treats only public unicast addresses as public', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) expect(isPublicAddress(address), address).toBe(true);
    const notPublic = [
      '127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', // loopback, also written as IPv6
      '10.0.0.1', '172.16.5.4', '192.168.1.1', 'fd00:ec2::254', // private and unique-local
      '169.254.169.254', 'fe80::1', // link-local: the cloud metadata address
      '100.100.100.200', // carrier-grade NAT (another cloud's metadata address)
      '0.0.0.0', '::', '255.255.255.255', '224.0.0.1', '240.0.0.1', '198.18.0.1', '192.0.0.170',
      '64:ff9b::7f00:1', '2002:7f00:1::', '2001::1', '2001:db8::1', // NAT64, 6to4, Teredo, documentation
      'not-an-ip', '',
    ];
    for (const address of notPublic) expect(isPublicAddress(address), address).toBe(false);
  });

  it('refuses a name when any one of its addresses is not public', () => {
    expect(resolvedRefusal(['93.184.216.34', '8.8.8.8'])).toBeUndefined();
    expect(resolvedRefusal(['93.184.216.34', '169.254.169.254'])).toBe('private-address');
    expect(resolvedRefusal(['127.0.0.1'])).toBe('private-address');
  });

  it('accepts host names only: no IP, localhost, wildcard, port or scheme', () => {
    expect(normalizeHostName(' API.GitHub.com. ')).toBe('api.github.com');
    for (const good of ['api.github.com', 'a.bc', 'api-1.example.co.uk']) expect(isHostName(good), good).toBe(true);
    for (const bad of ['localhost', '127.0.0.1', '*.github.com', 'api.github.com:443', 'https://api.github.com', 'API.github.com', '-a.com', 'a..com', '']) {
      expect(isHostName(bad), bad).toBe(false);
    }
  });
});
