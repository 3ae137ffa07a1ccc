/**
 * Round 11 (docs/dev/catalog-classifier.md, section 22): hierarchical command routers. One tool per service area
 * (`compute`, `keyvault`, `kusto`) takes a free `command` naming one of the server's own sub-commands and a
 * `parameters` object for it; the sub-commands are not in the schema (a `learn` flag lists them at run time). The
 * `command` names a sub-command, not a program, and the tool's name names a service area, not an action: what the
 * router can do is only what its description says its commands do.
 */

/** The description says its sub-commands are routed or discovered at run time. */
const ROUTES_SUBCOMMANDS =
  /\b(?:hierarchical (?:MCP )?command (?:router|model)|command router\b|sub[- ]?commands? (?:are|is) routed|(?:discover|list|learn about) (?:the |its )?(?:available )?sub[- ]?commands|set "?learn"?\s*=\s*true)/i;
/** Names of the parameter that picks the sub-command, of its arguments, and of the flag that lists the sub-commands. */
const SUBCOMMAND_PARAMETER = /^(?:command|sub_?command|cmd)$/i;
const SUBCOMMAND_ARGUMENTS = /^(?:parameters|params|args|arguments|options)$/i;
const DISCOVERY_FLAG = /^(?:learn|discover|list_?commands|describe_?commands)$/i;

interface RouterProperty {
  type?: unknown;
  enum?: unknown;
}

/** The parameter that names a sub-command, when the tool is a command router; otherwise undefined. */
export function routerCommand(description: string, params: ReadonlyArray<[string, RouterProperty]>): string | undefined {
  const command = params.find(([name, property]) => SUBCOMMAND_PARAMETER.test(name) && (property.type === 'string' || property.type === undefined) && !Array.isArray(property.enum));
  if (!command) return undefined;
  const routes = ROUTES_SUBCOMMANDS.test(description);
  const shaped = params.some(([name, property]) => SUBCOMMAND_ARGUMENTS.test(name) && (property.type === 'object' || property.type === undefined)) && params.some(([name, property]) => DISCOVERY_FLAG.test(name) && property.type === 'boolean');
  return routes || shaped ? command[0] : undefined;
}

/**
 * The part of a router's description that says what its commands do: without the paragraph on how to call the
 * router, and without sentences that say what it is not for ("Not for kubectl execution", "do not support querying").
 */
export function routerText(description: string): string {
  const cut = description.search(/this (?:tool )?is a hierarchical|uses a hierarchical|this is a hierarchical|sub[- ]?commands? (?:are|is) routed/i);
  const text = (cut >= 0 ? description.slice(0, cut) : description).replace(/\s+/g, ' ');
  return text
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => !/^(?:not (?:for|intended)|do not|don't|never)\b|\b(?:not intended for|not for|do(?:es)? not support|cannot|can't)\b/i.test(sentence))
    .join(' ');
}

/** "listing" → list, "creating" → create, "setting" → set, "managing" → manage: the stems a gerund may come from. */
export function gerundStems(word: string): string[] {
  if (!word.endsWith('ing') || word.length < 5) return [];
  const stem = word.slice(0, -3);
  const stems = [stem, `${stem}e`];
  if (stem.length > 2 && stem.at(-1) === stem.at(-2)) stems.push(stem.slice(0, -1));
  return stems;
}

/** Words after which "for" introduces what the commands do ("Commands for creating …", "as well as for creating …"), not a purpose ("guidance for building …"). */
const OPERATION_NOUNS: ReadonlySet<string> = new Set(['commands', 'command', 'operations', 'operation', 'tools', 'tool', 'support', 'supports', 'options', 'subcommands', 'used', 'as']);

/** Nouns a gerund in a heading qualifies ("Billing operations"). */
const HEADINGS: ReadonlySet<string> = new Set(['operations', 'operation', 'commands', 'command']);

/** A gerund that names an operation of the router, not a purpose or a circumstance ("when working with …"). */
export function operationGerund(words: readonly string[], i: number): boolean {
  // "Billing operations", "Logging commands": a gerund that names what the router is about.
  if (HEADINGS.has(words[i + 1] ?? '')) return false;
  const before = words[i - 1];
  // "for building and deploying apps": a gerund joined to another takes its part.
  if ((before === 'and' || before === 'or') && words[i - 2]?.endsWith('ing')) return operationGerund(words, i - 2);
  if (before === 'when' || before === 'while' || before === 'before' || before === 'after') return false;
  if (before === 'for') return OPERATION_NOUNS.has(words[i - 2] ?? '');
  return true;
}
