/**
 * The words the classifier knows. Data only; src/catalog/classify.ts says how they combine and
 * docs/catalog.md lists them for users. Verbs are matched as whole tokens of a tool's name (split on
 * snake_case, kebab-case and camelCase) or as the leading word of its description.
 */
import type { Category } from './types.js';

const READ = [
  'get', 'list', 'read', 'search', 'find', 'fetch', 'retrieve', 'query', 'show', 'describe', 'view', 'open', 'inspect',
  'lookup', 'look', 'check', 'count', 'browse', 'explore', 'scan', 'capture', 'screenshot', 'snapshot', 'analyze',
  'analyse', 'preview', 'validate', 'verify', 'echo', 'return', 'wait', 'sum', 'calculate', 'compute', 'resolve',
  'explain', 'summarize', 'summarise', 'lint', 'watch', 'monitor', 'peek', 'poll', 'print', 'dump', 'export',
  'download', 'compare', 'estimate', 'translate', 'parse', 'extract', 'detect', 'identify', 'measure', 'audit',
  'navigate', 'visit', 'goto', 'ping', 'think', 'recommend', 'suggest', 'diff', 'blame',
] as const;

const WRITE = [
  'create', 'add', 'update', 'write', 'set', 'put', 'post', 'patch', 'edit', 'modify', 'change', 'insert', 'upsert',
  'append', 'save', 'store', 'push', 'upload', 'send', 'reply', 'comment', 'react', 'move', 'rename', 'copy', 'clone',
  'fork', 'merge', 'assign', 'unassign', 'toggle', 'enable', 'disable', 'configure', 'register', 'publish', 'commit',
  'mark', 'star', 'follow', 'invite', 'submit', 'fill', 'type', 'click', 'select', 'press', 'drag', 'hover', 'resize',
  'emulate', 'handle', 'init', 'initialize', 'import', 'sync', 'schedule', 'approve', 'close', 'reopen', 'archive',
  'restore', 'rebase', 'pick', 'apply', 'stage', 'checkout', 'switch', 'pull', 'cancel', 'finalize', 'confirm',
  'attach', 'detach', 'connect', 'disconnect', 'share', 'grant', 'revoke', 'record', 'remember', 'replace',
  'generate', 'make', 'new', 'install', 'login', 'logout', 'lock', 'unlock', 'pin', 'unpin', 'hide', 'unhide',
  'mute', 'unmute', 'notify', 'draft', 'transition',
] as const;

const EXECUTE = [
  'exec', 'execute', 'run', 'rerun', 'eval', 'evaluate', 'shell', 'bash', 'sh', 'zsh', 'powershell', 'cmd', 'invoke',
  'trigger', 'spawn', 'launch', 'start', 'deploy', 'build', 'compile', 'interpret', 'repl', 'kubectl', 'sudo',
] as const;

const DESTRUCTIVE = [
  'delete', 'remove', 'rm', 'destroy', 'purge', 'erase', 'wipe', 'truncate', 'kill', 'terminate', 'clean', 'clear',
  'reset', 'discard', 'prune', 'uninstall', 'unlink', 'shred', 'nuke', 'evict', 'flush', 'obliterate', 'del', 'drop',
] as const;

const FINANCIAL = [
  'pay', 'charge', 'refund', 'transfer', 'payout', 'withdraw', 'deposit', 'purchase', 'buy', 'sell', 'bill', 'invoice',
  'tip', 'donate', 'remit', 'reimburse',
] as const;

/** An action verb's category. */
export const VERB_CATEGORY: ReadonlyMap<string, Category> = new Map<string, Category>([
  ...READ.map((verb): [string, Category] => [verb, 'Read']),
  ...WRITE.map((verb): [string, Category] => [verb, 'Write']),
  ...EXECUTE.map((verb): [string, Category] => [verb, 'Execute']),
  ...DESTRUCTIVE.map((verb): [string, Category] => [verb, 'Destructive']),
  ...FINANCIAL.map((verb): [string, Category] => [verb, 'Financial']),
]);

/** Verbs that say "several operations"; the description's list of operations decides. */
export const GENERIC_VERBS: ReadonlySet<string> = new Set(['manage', 'administer', 'control', 'operate', 'crud', 'perform', 'do', 'use', 'work']);

/**
 * HTTP methods in OpenAPI-generated names (`API-post-search`): when another verb follows, that verb is
 * the action. Not `get`: `get_pull_request` gets, it does not pull.
 */
export const HTTP_METHOD_VERBS: ReadonlySet<string> = new Set(['post', 'put', 'patch']);

/** Nouns that name something read, when they end a name with no verb (`git_status`, `directory_tree`). */
export const READ_NOUNS: ReadonlySet<string> = new Set([
  'status', 'info', 'information', 'details', 'detail', 'log', 'logs', 'history', 'tree', 'reflog', 'metadata', 'stats',
  'statistics', 'summary', 'report', 'search', 'docs', 'documentation', 'schema', 'version', 'health', 'diff', 'list',
  'screenshot', 'snapshot', 'preview', 'instructions', 'help',
]);

/** Nouns that mean code runs: alone (`python`) or after a non-read verb (`execute_python_code`). */
export const EXECUTE_NOUNS: ReadonlySet<string> = new Set([
  'python', 'javascript', 'js', 'typescript', 'ruby', 'perl', 'php', 'shell', 'bash', 'powershell', 'code', 'script',
  'scripts', 'command', 'commands', 'cmd', 'sql', 'terminal', 'repl', 'process', 'subprocess', 'pipeline', 'workflow',
  'job', 'notebook', 'cell', 'lambda', 'function', 'macro',
]);

/** Money nouns: with a changing verb (create, update, cancel, …) the tool is Financial; with a read verb it stays Read. */
export const MONEY_NOUNS: ReadonlySet<string> = new Set([
  'payment', 'payments', 'charge', 'charges', 'refund', 'refunds', 'transfer', 'transfers', 'payout', 'payouts',
  'invoice', 'invoices', 'subscription', 'subscriptions', 'price', 'prices', 'pricing', 'coupon', 'coupons', 'discount',
  'discounts', 'dispute', 'disputes', 'transaction', 'transactions', 'order', 'orders', 'balance', 'wallet', 'funds',
  'fund', 'money', 'billing', 'bill', 'bills', 'checkout', 'fee', 'fees', 'payroll', 'credit', 'credits', 'card',
  'cards', 'bank', 'iban', 'withdrawal', 'deposit', 'escrow', 'crypto', 'btc', 'eth', 'usdc', 'swap', 'trade',
  'trades', 'donation', 'tip', 'tips', 'invoice_item', 'paymentintent', 'payment_intent', 'quote', 'quotes',
]);

/** `drop` destroys a data store's objects; dropping files onto a page element does not. */
export const DROP_OBJECTS: ReadonlySet<string> = new Set([
  'table', 'tables', 'database', 'databases', 'db', 'collection', 'collections', 'index', 'indexes', 'schema', 'schemas',
  'column', 'columns', 'bucket', 'buckets', 'keyspace', 'view', 'views', 'user', 'users', 'all', 'stash', 'stashes',
]);

/** Query languages: `query` with one of these (`sql_query`, `run_cypher_query`) runs code rather than reading. */
export const QUERY_LANGUAGES: ReadonlySet<string> = new Set(['sql', 'cypher', 'graphql', 'sparql', 'kql', 'promql', 'hql', 'jql', 'soql', 'n1ql', 'gremlin']);

/** Parameter names whose string value is code to run. */
export const CODE_PARAMETERS: ReadonlySet<string> = new Set([
  'code', 'script', 'command', 'cmd', 'sql', 'shell', 'bash', 'python', 'javascript', 'js', 'source_code', 'sourcecode',
  'cypher', 'expression_code', 'commands', 'query_sql', 'statement', 'program',
]);

/** Parameter names that carry an amount of money. */
export const MONEY_PARAMETERS: ReadonlySet<string> = new Set([
  'amount', 'amount_off', 'unit_amount', 'price', 'currency', 'amount_cents', 'total', 'payment_method', 'iban',
]);

/** Leading words of descriptions that carry no action ("This tool will …"). */
export const DESCRIPTION_PREFIX =
  /^(?:[^|\n]{1,40}\|\s*)?(?:(?:this|the|a|an) (?:\w+ )?(?:tool|function|endpoint|operation|command)(?: (?:will|can|lets you|allows you to|is used to|helps(?: you)?(?: to)?|that|which))?\s+|(?:tool|used|use this tool|allows you|lets you|helps(?: you)?) to\s+|helps\s+)?/i;

export interface Phrase {
  pattern: RegExp;
  category: Category;
}

/** Strong phrases in a description. Each can raise a class, never lower it. */
export const PHRASES: readonly Phrase[] = [
  { pattern: /\b(?:arbitrary|any) (?:python|javascript|js|typescript|shell|bash|sql|code|commands?|scripts?)\b/i, category: 'Execute' },
  { pattern: /\bexecut\w* (?:(?:a|an|the|arbitrary|raw|custom|given|provided|user)\s+){0,2}(?:python|javascript|js|shell|bash|code|commands?|scripts?|sql|queries|query|programs?)\b/i, category: 'Execute' },
  { pattern: /\bruns? (?:(?:a|an|the|arbitrary|raw|custom|given|read-only|shell|bash|terminal)\s+){0,2}(?:commands?|scripts?|sql|code|programs?)\b/i, category: 'Execute' },
  { pattern: /\bremote code execution\b|\brce\b/i, category: 'Execute' },
  { pattern: /\bpermanently (?:delete|remove|destroy|erase)s?\b|\b(?:cannot|can't|can not) be (?:undone|recovered|reversed)\b|\birreversibl[ey]\b/i, category: 'Destructive' },
  { pattern: /\b(?:refunds?|charges?|bills?) (?:a |the )?(?:customer|card|payment method|account)\b/i, category: 'Financial' },
  { pattern: /\b(?:send|transfer|move|withdraw)s? (?:money|funds|payments?)\b/i, category: 'Financial' },
];

/** Description phrases that agree with a Read class. */
export const READ_ONLY_PHRASE = /\bread[- ]only\b|\bdoes not (?:modify|change)\b|\bwithout (?:making )?(?:any )?changes\b/i;
