/**
 * A URL as the proxy names it on stderr and in the audit log: the query's values masked. Remote
 * MCP servers often take their key in the query (`?api_key=…`), and the audit log is meant to be
 * kept and shared; the server still gets the real URL. A part without `=` may be a key itself, so
 * it is masked whole. Names are kept: they say which parameters were given.
 */
export function displayUrl(url: URL): string {
  if (url.search === '') return url.href;
  const bare = new URL(url.href);
  bare.search = '';
  bare.hash = '';
  const parts = url.search.slice(1).split('&').map((part) => {
    const equals = part.indexOf('=');
    return equals < 0 ? '…' : `${part.slice(0, equals)}=…`;
  });
  return `${bare.href}?${parts.join('&')}`;
}
