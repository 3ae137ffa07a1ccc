import { homedir } from 'node:os';
import { Command } from 'commander';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.js';
import { MemoryCounterStore } from '../../src/engine/memory-store.js';
import { UsageError } from '../../src/errors.js';
import { openCounterStore } from '../../src/state/open.js';
import { addStateOptions, stateFromOptions, StateOptionsShape } from '../../src/state/options.js';
import { describeStateSpec, parseStateSpec } from '../../src/state/spec.js';

const USAGE = 'expected memory, file:PATH or redis://HOST[:PORT][/DB][?prefix=P]';

describe('--state spec', () => {
  it.each([
    ['memory', { kind: 'memory' }],
    ['file:state.sqlite', { kind: 'file', path: '/work/state.sqlite' }],
    ['file:/var/lib/pl/state.sqlite', { kind: 'file', path: '/var/lib/pl/state.sqlite' }],
    ['file:///var/lib/pl/s%20t.sqlite', { kind: 'file', path: '/var/lib/pl/s t.sqlite' }],
    ['file:~/.policylayer/state.sqlite', { kind: 'file', path: `${homedir()}/.policylayer/state.sqlite` }],
    ['redis://localhost', { kind: 'redis', host: 'localhost', port: 6379, db: 0, tls: false, prefix: 'policylayer:', label: 'redis://localhost:6379/0' }],
    ['redis://10.1.2.3:6390/4', { kind: 'redis', host: '10.1.2.3', port: 6390, db: 4, label: 'redis://10.1.2.3:6390/4' }],
    ['rediss://user:p%40ss@cache.internal:6380/1?prefix=team-a:', { kind: 'redis', tls: true, username: 'user', password: 'p@ss', prefix: 'team-a:', label: 'rediss://cache.internal:6380/1?prefix=team-a%3A' }],
    ['redis://[::1]:6390', { kind: 'redis', host: '::1', label: 'redis://[::1]:6390/0' }],
  ])('parses %s', (text, expected) => {
    const parsed = parseStateSpec(text, '/work');
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.spec).toMatchObject(expected);
  });

  it('never shows credentials', () => {
    const parsed = parseStateSpec('redis://admin:hunter2@cache:6379/0', '/');
    expect(parsed.ok && describeStateSpec(parsed.spec)).toBe('redis://cache:6379/0');
  });

  it.each([
    ['foo', `unknown state store "foo"; ${USAGE}`],
    ['state.sqlite', `unknown state store "state.sqlite" (did you mean file:state.sqlite?); ${USAGE}`],
    ['sqlite', `unknown state store "sqlite" (a file store needs a path, e.g. file:.policylayer/state.sqlite); ${USAGE}`],
    ['sqlite:///var/state.db', `unknown state store "sqlite:///var/state.db" (did you mean file:/var/state.db?); ${USAGE}`],
    ['redis:localhost:6379', `unknown state store "redis:localhost:6379" (a Redis URL starts with redis://, or rediss:// for TLS); ${USAGE}`],
    ['file:', `file: needs a path in "file:"; ${USAGE}`],
    ['redis://localhost/zero', `the database after the host must be a number, not "zero" in "redis://localhost/zero"; ${USAGE}`],
    ['redis://localhost?pefix=a', `unknown URL parameter "pefix" (only prefix is supported) in "redis://localhost?pefix=a"; ${USAGE}`],
    ['redis://localhost:99999', `not a valid URL in "redis://localhost:99999"; ${USAGE}`],
  ])('refuses %s with one line', (text, message) => {
    expect(parseStateSpec(text, '/')).toEqual({ ok: false, message });
  });
});

describe('state options', () => {
  const Schema = z.object({ ...StateOptionsShape });

  it('default to memory, fail closed, 2 s', () => {
    expect(stateFromOptions(parseOptions(Schema, {}), '/work')).toEqual({ spec: { kind: 'memory' }, failMode: 'closed', timeoutMs: 2000 });
  });

  it('resolve file paths against the command cwd', () => {
    const options = parseOptions(Schema, { state: 'file:s.sqlite', stateFailMode: 'open', stateTimeout: '250' });
    expect(stateFromOptions(options, '/srv/agent')).toEqual({ spec: { kind: 'file', path: '/srv/agent/s.sqlite' }, failMode: 'open', timeoutMs: 250 });
  });

  it.each([
    [{ state: 'nope' }, `--state: unknown state store "nope"; ${USAGE}`],
    [{ stateFailMode: 'fail-open' }, '--state-fail-mode: expected closed or open, got "fail-open"'],
    [{ stateTimeout: '2s' }, '--state-timeout: expected milliseconds between 1 and 600000, got "2s"'],
    [{ stateTimeout: '0' }, '--state-timeout: expected milliseconds between 1 and 600000, got "0"'],
  ])('name the flag in usage errors: %o', (raw, message) => {
    expect(() => parseOptions(Schema, raw)).toThrow(new UsageError(message));
  });

  it('add the three flags to a commander command in one call', async () => {
    let seen: unknown;
    const command = addStateOptions(new Command('x').exitOverride()).action((options: unknown) => {
      seen = options;
    });
    await command.parseAsync(['--state', 'redis://h/1', '--state-fail-mode', 'open', '--state-timeout', '900'], { from: 'user' });
    expect(parseOptions(Schema, seen)).toEqual({ state: 'redis://h/1', stateFailMode: 'open', stateTimeout: 900 });
    expect(command.helpInformation()).toMatch(/--state <spec>[\s\S]*--state-fail-mode <mode>[\s\S]*--state-timeout <ms>/);
  });

  it('open memory without I/O and refuse bad specs from code too', async () => {
    expect(await openCounterStore('memory')).toBeInstanceOf(MemoryCounterStore);
    await expect(openCounterStore('mem')).rejects.toThrow(new UsageError(`--state: unknown state store "mem"; ${USAGE}`));
  });
});
