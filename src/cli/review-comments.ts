type Yaml = typeof import('yaml');

/**
 * Puts `# needs review: <reason>` above each reviewed tool's entry in a policy's YAML document: its
 * key under `tools`, or its item in `hide`. `policylayer fmt` keeps comments, so the file stays
 * exactly what fmt writes.
 */
export function reviewComments(YAML: Yaml, document: import('yaml').Document, reviews: ReadonlyMap<string, string>): void {
  if (reviews.size === 0) return;
  const comment = (node: unknown, name: string) => {
    const reason = reviews.get(name);
    if (reason !== undefined && YAML.isScalar(node)) node.commentBefore = ` needs review: ${reason.replace(/\s+/g, ' ')}`;
  };
  const tools = document.get('tools', true);
  if (YAML.isMap(tools)) for (const pair of tools.items) comment(pair.key, String(YAML.isScalar(pair.key) ? pair.key.value : pair.key));
  const hide = document.get('hide', true);
  if (YAML.isSeq(hide)) for (const item of hide.items) comment(item, String(YAML.isScalar(item) ? item.value : item));
}
