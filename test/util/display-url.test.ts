import { describe, expect, it } from 'vitest';
import { displayUrl } from '../../src/util/display-url.js';

describe('displayUrl', () => {
  it('masks every query value, and a part without a name whole; keeps the rest', () => {
    expect(displayUrl(new URL('https://mcp.example.com/mcp'))).toBe('https://mcp.example.com/mcp');
    expect(displayUrl(new URL('https://mcp.example.com/mcp?api_key=sk-1&profile=work'))).toBe('https://mcp.example.com/mcp?api_key=…&profile=…');
    expect(displayUrl(new URL('https://mcp.example.com/mcp?sk-live-123'))).toBe('https://mcp.example.com/mcp?…');
    expect(displayUrl(new URL('http://127.0.0.1:8080/sse?a=1=2&&b'))).toBe('http://127.0.0.1:8080/sse?a=…&…&…');
    expect(displayUrl(new URL('https://h/p?k=v#frag'))).toBe('https://h/p?k=…');
  });
});
