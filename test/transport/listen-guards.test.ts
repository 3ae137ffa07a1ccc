import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bearerMatches, checkBind, grantFromHeader, hostAllowed, isLoopbackHost, originAllowed, parseListenAddress } from '../../src/transport/listen-guards.js';

describe('listen guards', () => {
  it('parses listen addresses', () => {
    expect(parseListenAddress('127.0.0.1:8765')).toEqual({ host: '127.0.0.1', port: 8765 });
    expect(parseListenAddress('[::1]:9')).toEqual({ host: '::1', port: 9 });
    expect(parseListenAddress('localhost:0')).toEqual({ host: 'localhost', port: 0 });
    expect(parseListenAddress('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    for (const bad of ['', ':80', '127.0.0.1', '127.0.0.1:70000', 'host:port', '::1:80']) expect(() => parseListenAddress(bad)).toThrow(/expected HOST:PORT/);
  });

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.9.8.7', '::1', '[::1]', 'localhost', 'LocalHost', '::ffff:127.0.0.1']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost.evil.example', '127.0.0.1.evil.example', '192.168.1.2']) expect(isLoopbackHost(host)).toBe(false);
    expect(() => checkBind('::', { allowRemote: false, authenticated: true })).toThrow(/--allow-remote/);
    expect(() => checkBind('::', { allowRemote: true, authenticated: true })).not.toThrow();
    expect(() => checkBind('::1', { allowRemote: false, authenticated: false })).not.toThrow();
  });

  it('checks Host against DNS rebinding', () => {
    expect(hostAllowed('127.0.0.1:8765', 8765, true)).toBe(true);
    expect(hostAllowed('localhost:8765', 8765, true)).toBe(true);
    expect(hostAllowed('[::1]:8765', 8765, true)).toBe(true);
    for (const host of [undefined, 'evil.example:8765', '127.0.0.1:8766', 'localhost.evil.example:8765', '127.0.0.1.nip.io:8765', '127.0.0.1:8765 ']) expect(hostAllowed(host, 8765, true)).toBe(false);
    expect(hostAllowed('my-host.lan:8765', 8765, false)).toBe(true);
  });

  it('takes a grant from a header only when it is 1-128 visible characters', () => {
    expect(grantFromHeader('team-a')).toBe('team-a');
    for (const bad of [undefined, '', 'has space', 'x'.repeat(129), 'tab\t', 'é']) expect(grantFromHeader(bad)).toBeUndefined();
  });

  /** Origins built to look like loopback to a careless check, on a host that is not. */
  const hostileOrigin = fc
    .tuple(
      fc.domain().filter((domain) => !isLoopbackHost(domain)),
      fc.constantFrom('127.0.0.1', 'localhost', '[::1]', '127.1'),
      fc.constantFrom('http', 'https'),
      fc.integer({ min: 1, max: 65535 }),
    )
    .chain(([evil, loop, scheme, port]) =>
      fc.constantFrom(`${scheme}://${loop}.${evil}`, `${scheme}://${evil}:${port}/${loop}`, `${scheme}://${loop}@${evil}`, `${scheme}://${evil}#${loop}`, `${scheme}://${evil}?${loop}`, `${scheme}://${loop}-${evil}`, `null`, `file://${loop}`),
    );
  const loopbackOrigin = fc.tuple(fc.constantFrom('http', 'https'), fc.constantFrom('127.0.0.1', 'localhost', '[::1]'), fc.integer({ min: 1, max: 65535 })).map(([scheme, host, port]) => `${scheme}://${host}:${port}`);
  const originProperty = (allowed: (origin: string | undefined, list: readonly string[]) => boolean) =>
    fc.property(hostileOrigin, loopbackOrigin, (hostile, loopback) => !allowed(hostile, []) && allowed(loopback, []) && allowed(undefined, []) && allowed(hostile, [hostile]));

  it('property: hostile origins dressed as loopback are refused; loopback origins, absent ones and allowed ones pass', () => {
    fc.assert(originProperty(originAllowed), { numRuns: 500 });
  });

  it('the property catches a substring check', () => {
    const naive = (origin: string | undefined, list: readonly string[]): boolean => origin === undefined || list.includes(origin) || /127\.0\.0\.1|localhost|\[::1\]|127\.1/.test(origin);
    expect(() => fc.assert(originProperty(naive), { numRuns: 200 })).toThrow();
  });

  const bearerProperty = (matches: (header: string | undefined, token: string) => boolean) =>
    fc.property(fc.string({ minLength: 16, maxLength: 64 }).filter((token) => token.trim() === token && /^[\x21-\x7e]+$/.test(token)), fc.string({ maxLength: 4 }), (token, noise) => {
      const exact = matches(`Bearer ${token}`, token) && matches(`bearer ${token}`, token);
      const variants = [`Bearer ${token}${noise}x`, `Bearer ${token.slice(0, -1)}`, `Basic ${token}`, token, `Bearer`, '', `Bearer ${noise}`, `Bearer x${token}`];
      return exact && variants.every((header) => !matches(header, token));
    });

  it('property: only the exact token passes', () => {
    fc.assert(bearerProperty(bearerMatches), { numRuns: 500 });
  });

  it('the property catches a prefix comparison', () => {
    const prefix = (header: string | undefined, token: string): boolean => !!header && header.toLowerCase().startsWith(`bearer ${token}`.toLowerCase());
    expect(() => fc.assert(bearerProperty(prefix), { numRuns: 200 })).toThrow();
  });
});
