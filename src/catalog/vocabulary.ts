/**
 * The words the classifier knows. Data only; src/catalog/classify.ts says how they combine and
 * docs/catalog.md lists them for users. Verbs are matched as whole tokens of a tool's name (split on
 * snake_case, kebab-case and camelCase) or as the leading word of its description.
 *
 * Where the words come from: the rubric in docs/catalog.md (what makes a tool Read, Write, Execute,
 * Destructive or Financial) and ordinary English for the same actions. No word here names a
 * product, a server or a single tool: a word earns its place only if it means the same action on
 * any server (see "How leave-one-server-out applies" in docs/catalog.md).
 */
import type { Category } from './types.js';

const READ = [
  'get', 'list', 'read', 'search', 'find', 'fetch', 'retrieve', 'query', 'show', 'describe', 'view', 'open', 'inspect',
  'lookup', 'look', 'check', 'count', 'browse', 'explore', 'scan', 'capture', 'screenshot', 'snapshot', 'analyze',
  'analyse', 'preview', 'validate', 'verify', 'echo', 'return', 'wait', 'sum', 'calculate', 'compute', 'resolve',
  'explain', 'summarize', 'summarise', 'lint', 'watch', 'monitor', 'peek', 'poll', 'print', 'dump', 'export',
  'download', 'compare', 'estimate', 'translate', 'parse', 'extract', 'detect', 'identify', 'measure', 'audit',
  'ping', 'think', 'recommend', 'suggest', 'diff', 'blame', 'whoami', 'expect', 'assert', 'test',
  // Round 11: diagnosing and troubleshooting read what is wrong.
  'diagnose', 'troubleshoot',
  // Round 12: a simulation (a packet through a policy, a dry run) computes an outcome and changes nothing.
  'simulate', 'learn',
  'rerank', 'rank', 'embed', 'ls', 'cat', 'stat', 'screen', 'render', 'convert', 'infer', 'predict', 'classify', 'transform',
  'scrape', 'crawl', 'plan', 'discover',
] as const;

const WRITE = [
  'create', 'add', 'update', 'write', 'set', 'put', 'post', 'patch', 'edit', 'modify', 'change', 'insert', 'upsert',
  'append', 'save', 'store', 'push', 'upload', 'send', 'reply', 'comment', 'react', 'move', 'rename', 'copy', 'clone',
  'fork', 'merge', 'assign', 'unassign', 'toggle', 'enable', 'disable', 'configure', 'register', 'publish', 'commit',
  'mark', 'star', 'follow', 'invite', 'submit', 'fill', 'type', 'click', 'select', 'press', 'drag', 'hover', 'resize',
  'emulate', 'handle', 'init', 'initialize', 'import', 'sync', 'schedule', 'approve', 'close', 'reopen', 'archive',
  'unarchive', 'restore', 'rebase', 'pick', 'stage', 'checkout', 'switch', 'pull', 'cancel', 'finalize', 'confirm',
  'attach', 'detach', 'connect', 'disconnect', 'reconnect', 'share', 'grant', 'revoke', 'record', 'remember', 'replace',
  'generate', 'make', 'new', 'login', 'logout', 'lock', 'unlock', 'pin', 'unpin', 'hide', 'unhide', 'mute', 'unmute',
  'notify', 'draft', 'transition', 'navigate', 'visit', 'goto', 'go', 'reload', 'refresh', 'scroll', 'tap', 'swipe',
  'pause', 'resume', 'stop', 'start', 'restart', 'reboot', 'suspend', 'unsuspend', 'freeze', 'unfreeze', 'reverse',
  'replay', 'resend', 'retry', 'transfer', 'claim', 'acknowledge', 'ack', 'activate', 'deactivate',
  'duplicate', 'provision', 'forward', 'compose', 'broadcast', 'mention', 'dismiss', 'accept',
  'reject', 'decline', 'rollback', 'undo', 'redo', 'cordon', 'uncordon', 'rotate', 'renew', 'extend',
  'ingest', 'track', 'rate', 'vote', 'like', 'unsubscribe', 'setup', 'mkdir', 'touch', 'alter', 'amend', 'place',
  'rebuild', 'recreate', 'reinitialize', 'reinit', 'reimage', 'skip', 'unskip',
  // Round 10: opting in or out of a program, enrolling, putting in another order.
  'opt', 'enroll', 'unenroll', 'reorder', 'reposition', 'reprioritize',
  // Round 11: a manual gate passed or refused, a run aborted or halted, something fixed.
  'pass', 'refuse', 'abort', 'halt', 'fix',
  // Round 12: cells formatted, sorted or unmerged, a reminder snoozed, a subscription reauthorized, a task completed, a prize awarded.
  'format', 'sort', 'unmerge', 'snooze', 'reauthorize', 'complete', 'award',
] as const;

const EXECUTE = [
  'exec', 'execute', 'run', 'rerun', 'eval', 'evaluate', 'shell', 'bash', 'sh', 'zsh', 'powershell', 'cmd', 'invoke',
  'trigger', 'spawn', 'launch', 'deploy', 'redeploy', 'build', 'compile', 'interpret', 'repl', 'kubectl', 'sudo',
  'install', 'upgrade', 'migrate', 'apply', 'dispatch',
] as const;

const DESTRUCTIVE = [
  'delete', 'remove', 'rm', 'destroy', 'purge', 'erase', 'wipe', 'truncate', 'kill', 'terminate', 'clean', 'cleanup',
  'clear', 'reset', 'discard', 'prune', 'uninstall', 'unlink', 'shred', 'nuke', 'evict', 'flush', 'obliterate', 'del',
  'drop', 'redact', 'drain', 'scale', 'overwrite', 'teardown', 'decommission', 'release', 'empty',
] as const;

const FINANCIAL = [
  'pay', 'charge', 'refund', 'payout', 'withdraw', 'deposit', 'purchase', 'buy', 'sell', 'bill', 'invoice',
  'tip', 'donate', 'remit', 'reimburse', 'credit', 'debit', 'subscribe', 'order', 'rent', 'trade', 'topup', 'recharge',
] as const;

/** An action verb's category. */
export const VERB_CATEGORY: ReadonlyMap<string, Category> = new Map<string, Category>(
  [
    ...READ.map((verb): [string, Category] => [verb, 'Read']),
    ...WRITE.map((verb): [string, Category] => [verb, 'Write']),
    ...EXECUTE.map((verb): [string, Category] => [verb, 'Execute']),
    ...DESTRUCTIVE.map((verb): [string, Category] => [verb, 'Destructive']),
    ...FINANCIAL.map((verb): [string, Category] => [verb, 'Financial']),
  ],
);

/** Verbs that say "several operations"; the description's list of operations, or an action enum, decides. */
export const GENERIC_VERBS: ReadonlySet<string> = new Set(['manage', 'administer', 'control', 'operate', 'crud', 'perform', 'do', 'use', 'work']);

/**
 * HTTP methods in names (`API-post-search`, `jira_post`): when another verb follows, that verb is the
 * action; alone, on a tool that takes a free path or URL, the tool sends arbitrary API requests.
 * Not `get`: `get_pull_request` gets, it does not pull.
 */
export const HTTP_METHOD_VERBS: ReadonlySet<string> = new Set(['post', 'put', 'patch']);

/** Nouns that name something read, when they end a name with no verb (`git_status`, `directory_tree`). */
export const READ_NOUNS: ReadonlySet<string> = new Set([
  'status', 'info', 'information', 'details', 'detail', 'log', 'logs', 'history', 'tree', 'reflog', 'metadata', 'stats',
  'statistics', 'summary', 'report', 'search', 'docs', 'documentation', 'schema', 'version', 'health', 'diff', 'list',
  'screenshot', 'snapshot', 'preview', 'instructions', 'help', 'top', 'events', 'metrics', 'usage', 'quota', 'config',
  'configuration', 'cwd', 'env', 'domain', 'profile', 'balance',
  // Round 10: reports drawn from data (`order_breakdown`, `revenue_trend`).
  'breakdown', 'trend', 'trends',
]);

/** Nouns that mean code runs: alone (`python`), or as the object of a run-like verb (`execute_python_code`). */
export const EXECUTE_NOUNS: ReadonlySet<string> = new Set([
  'python', 'javascript', 'js', 'typescript', 'ruby', 'perl', 'php', 'shell', 'bash', 'powershell', 'code', 'script',
  'scripts', 'command', 'commands', 'cmd', 'sql', 'terminal', 'repl', 'process', 'subprocess', 'pipeline', 'pipelines',
  'workflow', 'workflows', 'job', 'jobs', 'notebook', 'cell', 'lambda', 'function', 'functions', 'macro', 'kubectl',
  'migration', 'migrations', 'ddl', 'manifest', 'manifests', 'program', 'container', 'pod', 'action', 'build', 'test',
  'tests', 'playbook', 'task', 'helm', 'chart', 'charts', 'package', 'packages', 'dependencies', 'query',
]);

/** Command-line tools and interpreters: a name's prefix when another verb follows (`kubectl_get`, `bash_read_file`). */
export const TOOL_PREFIX_NOUNS: ReadonlySet<string> = new Set([
  'kubectl', 'bash', 'shell', 'sh', 'zsh', 'powershell', 'cmd', 'repl', 'helm', 'docker', 'git', 'gh', 'npm', 'terraform',
]);

/**
 * Objects that make a run-like verb read instead of execute (`run_aggregation`, "Run inference on a
 * model", "Run a find query"): running them computes an answer and changes nothing.
 */
export const READ_OBJECTS: ReadonlySet<string> = new Set([
  'aggregation', 'aggregations', 'inference', 'search', 'analysis', 'audit', 'report', 'reports', 'lighthouse', 'find',
  'count', 'check', 'checks', 'diagnostic', 'diagnostics', 'explain', 'prediction', 'classification', 'evaluation',
  'select',
  // Round 11: a saved question or a dashboard card run returns its results (`execute_card`, `execute_saved_question`).
  'question', 'questions', 'card', 'cards',
]);

/** What `generate` produces and hands back rather than stores (`generate_text`, "Generate images using a model"). */
export const GENERATED_OUTPUTS: ReadonlySet<string> = new Set([
  'text', 'image', 'images', 'embedding', 'embeddings', 'summary', 'answer', 'completion', 'completions', 'chart',
  'diagram', 'audio', 'speech', 'caption', 'captions', 'transcript', 'translation', 'link', 'links', 'deeplink', 'url',
  'urls', 'preview', 'previews', 'pdf', 'audit', 'audits', 'report', 'reports', 'overview', 'analysis',
]);

/** Objects of `start`/`stop`/`launch`/`trigger` that run code (`start_process`); other objects are Write (`start_search`). */
export const RUN_OBJECTS: ReadonlySet<string> = new Set([
  'process', 'processes', 'command', 'commands', 'script', 'scripts', 'code', 'job', 'jobs', 'pipeline', 'pipelines',
  'workflow', 'workflows', 'build', 'builds', 'deployment', 'deploy', 'container', 'containers', 'pod', 'pods', 'task',
  'tasks', 'program', 'shell', 'terminal', 'repl', 'kernel', 'notebook', 'migration', 'migrations', 'test', 'tests',
  'function', 'lambda', 'action', 'actions', 'playbook', 'run', 'execution',
]);

/** What takes typed input and runs it: sending, writing or typing to one of these feeds a running interpreter (`terminal_write`). */
export const INTERACTIVE_TARGETS: ReadonlySet<string> = new Set(['terminal', 'terminals', 'shell', 'repl', 'console', 'pty', 'tty', 'stdin', 'tmux']);
/** Verbs that deliver input (`send_to_repl`, `pty_write`, `shell_type`). */
export const INPUT_VERBS: ReadonlySet<string> = new Set(['send', 'write', 'type', 'press', 'submit']);

/** Objects of `apply` that are arbitrary changes to a system (`kubectl_apply`, `apply_migration`); others are Write (`apply_label`). */
export const APPLY_OBJECTS: ReadonlySet<string> = new Set([
  'manifest', 'manifests', 'migration', 'migrations', 'yaml', 'terraform', 'plan', 'chart', 'ddl', 'sql', 'script',
  'config', 'configuration', 'kubectl', 'changes', 'change', 'patch', 'schema', 'schemas',
]);

/**
 * Objects that make `remove` a detaching edit rather than a deletion (`remove_tag_from_task`,
 * `remove_reaction`): the thing removed is a link between two records, which can be added again.
 */
export const DETACHABLE_OBJECTS: ReadonlySet<string> = new Set([
  'tag', 'tags', 'label', 'labels', 'reaction', 'reactions', 'link', 'links', 'member', 'members', 'assignee',
  'assignees', 'subtask', 'subtasks', 'dependency', 'dependencies', 'dependent', 'dependents', 'association',
  'associations', 'follower', 'followers', 'watcher', 'watchers', 'reviewer', 'reviewers', 'participant', 'star',
  // People given access or a role (round 7): removing one revokes what can be granted again.
  'participants', 'collaborator', 'collaborators', 'guest', 'guests', 'delegate', 'delegates', 'attendee', 'attendees',
  'invitee', 'invitees',
]);

/** Money nouns: with a changing verb (create, update, cancel, …) the tool is Financial; with a read verb it stays Read. */
export const MONEY_NOUNS: ReadonlySet<string> = new Set([
  'payment', 'payments', 'charge', 'charges', 'refund', 'refunds', 'transfer', 'transfers', 'payout', 'payouts',
  'invoice', 'invoices', 'subscription', 'subscriptions', 'price', 'prices', 'pricing', 'coupon', 'coupons', 'discount',
  'discounts', 'dispute', 'disputes', 'transaction', 'transactions', 'order', 'orders', 'balance', 'wallet', 'funds',
  'fund', 'money', 'billing', 'bill', 'bills', 'checkout', 'checkouts', 'fee', 'fees', 'payroll', 'credit', 'credits',
  'card', 'cards', 'bank', 'iban', 'withdrawal', 'deposit', 'escrow', 'crypto', 'btc', 'eth', 'usdc', 'swap', 'trade',
  'trades', 'donation', 'tip', 'tips', 'invoice_item', 'paymentintent', 'payment_intent', 'quote', 'quotes', 'revenue',
  'plan', 'plans', 'purchase', 'purchases', 'adjustment', 'adjustments', 'chargeback', 'chargebacks', 'debit', 'debits',
  'ledger', 'tax', 'taxes',
  // Round 12: a bounty is money paid to whoever does the work.
  'bounty', 'bounties',
]);

/** Money nouns that also name ordinary things when they stand alone (`order` of results, `plan` of a migration). */
export const WEAK_MONEY_NOUNS: ReadonlySet<string> = new Set(['order', 'orders', 'plan', 'plans', 'balance', 'quote', 'quotes', 'trade', 'swap', 'card', 'cards', 'tax', 'adjustment', 'adjustments', 'ledger', 'credit', 'credits',
  // Round 10: an ad campaign spends its budget once launched or resumed, with nothing in the call saying so (a review mark only).
  'campaign', 'campaigns']);

/** `drop` destroys a data store's objects; dropping files onto a page element does not. */
export const DROP_OBJECTS: ReadonlySet<string> = new Set([
  'table', 'tables', 'database', 'databases', 'db', 'collection', 'collections', 'index', 'indexes', 'schema', 'schemas',
  'column', 'columns', 'bucket', 'buckets', 'keyspace', 'view', 'views', 'user', 'users', 'all', 'stash', 'stashes',
  'constraint', 'constraints', 'key', 'keys', 'foreign', 'trigger', 'triggers', 'procedure', 'procedures', 'function',
  'functions', 'sequence', 'sequences', 'role', 'roles', 'policy', 'policies', 'partition', 'partitions', 'fulltext',
  'namespace', 'namespaces', 'topic', 'topics', 'queue', 'queues', 'volume', 'volumes', 'graph', 'graphs', 'node', 'nodes',
  'field', 'fields',
]);

/** Query languages: `query` with one of these (`sql_query`, `run_cypher_query`) runs code rather than reading. */
export const QUERY_LANGUAGES: ReadonlySet<string> = new Set(['sql', 'cypher', 'graphql', 'sparql', 'kql', 'promql', 'hql', 'jql', 'soql', 'n1ql', 'gremlin']);

/** Parameter names whose string value is code to run. */
export const CODE_PARAMETERS: ReadonlySet<string> = new Set([
  'code', 'script', 'command', 'cmd', 'sql', 'shell', 'bash', 'python', 'javascript', 'js', 'source_code', 'sourcecode',
  'cypher', 'expression_code', 'commands', 'query_sql', 'statement', 'program', 'initscript', 'init_script',
  'scriptcontent', 'script_content', 'manifest', 'sqlstatement', 'sql_statement', 'ddl',
]);

/** Parameter names that carry an amount of money. */
export const MONEY_PARAMETERS: ReadonlySet<string> = new Set([
  'amount', 'amount_off', 'unit_amount', 'price', 'currency', 'amount_cents', 'total', 'payment_method', 'iban',
]);

/**
 * Parameters that choose where and how big a new cloud resource is (`region`, `plan`, `size`): a tool
 * that creates something with them provisions infrastructure that is billed while it exists.
 */
export const PROVISIONING_PARAMETERS: ReadonlySet<string> = new Set([
  'region', 'region_id', 'regionid', 'cloud', 'plan', 'plan_id', 'planid', 'size', 'size_slug', 'instance_type',
  'instancetype', 'machine_type', 'machinetype', 'tier', 'sku', 'vcpus', 'cpu_count', 'node_size', 'nodesize', 'pod_type',
  'capacity', 'datacenter', 'data_center', 'zone', 'location', 'billing_cycle', 'period',
]);

/**
 * Billed units of infrastructure: a number of them (`nodeCount`, `minInstances`, `replicas`) is what a
 * cluster, service or database is billed by, so changing it changes the bill.
 */
export const BILLED_UNITS: ReadonlySet<string> = new Set([
  'node', 'nodes', 'instance', 'instances', 'replica', 'replicas', 'machine', 'machines', 'vm', 'vms', 'shard', 'shards',
  'vcpu', 'vcpus', 'cpu', 'cpus', 'gpu', 'gpus', 'server', 'servers', 'seat', 'seats', 'worker', 'workers',
]);
/** Words that make a billed unit's name a size rather than an identifier (`machineType`, `computeUnits`, `instance_class`). */
export const SIZE_WORDS: ReadonlySet<string> = new Set(['type', 'size', 'class', 'tier', 'shape', 'units', 'unit', 'count', 'number', 'num']);
/** Infrastructure a tier or SKU is billed on (`update_database(tier)`); a customer's loyalty tier is not one. */
export const INFRASTRUCTURE_OBJECTS: ReadonlySet<string> = new Set([
  'cluster', 'clusters', 'pool', 'pools', 'nodepool', 'database', 'databases', 'db', 'service', 'services', 'app', 'apps',
  'application', 'compute', 'endpoint', 'endpoints', 'volume', 'volumes', 'disk', 'disks', 'storage', 'workspace',
  'project', 'projects', 'subscription', 'plan', 'deployment', 'environment', 'warehouse', 'cache', 'bucket', 'index',
  ...BILLED_UNITS,
]);

/** Parameters naming an action among several (`{"action": "create" | "delete"}`): the riskiest value decides. */
export const ACTION_PARAMETERS = /^(?:action|actions|operation|operations|op|mode|sub_?command|subcommand|command|verb|method_name)$/i;

/** Leading words of descriptions that carry no action ("This tool will …"). */
/** Round 11: also a bracketed area tag ("[Project Management] Remove a …"). */
export const DESCRIPTION_PREFIX =
  /^(?:\[[^\]\n]{1,40}\]\s*)?(?:[^|\n]{1,40}\|\s*)?(?:(?:this|the|a|an) (?:\w+ )?(?:tool|function|endpoint|operation|command)(?: (?:will|can|lets you|allows you to|is used to|helps(?: you)?(?: to)?|that|which))?\s+|(?:tool|used|use this tool|allows you|lets you|helps(?: you)?) to\s+|helps\s+)?/i;

export interface Phrase {
  pattern: RegExp;
  category: Category;
}

/** Strong phrases in a description. Each can raise a class, never lower it. */
export const PHRASES: readonly Phrase[] = [
  // "any code" alone is not enough: "invalidates any code previously issued" is about an authorization code.
  { pattern: /\barbitrary (?:python|javascript|js|typescript|shell|bash|sql|code|commands?|scripts?|kubectl commands?)\b|\bany (?:(?:python|javascript|js|typescript|shell|bash|sql|kubectl) )?(?:commands?|scripts?)\b|\bany (?:python|javascript|js|typescript|shell|bash|sql) (?:code|queries|query)\b/i, category: 'Execute' },
  { pattern: /\bexecut\w* (?:(?:a|an|the|arbitrary|raw|custom|given|provided|user|graphql|sql)\s+){0,2}(?:python|javascript|js|shell|bash|code|commands?|scripts?|sql|queries|query|programs?|ddl|mutations?)\b/i, category: 'Execute' },
  { pattern: /\bruns? (?:(?:a|an|the|arbitrary|raw|custom|given|shell|bash|terminal)\s+){0,2}(?:commands?|scripts?|sql|code|programs?)\b/i, category: 'Execute' },
  { pattern: /\bremote code execution\b|\brce\b/i, category: 'Execute' },
  { pattern: /\b(?:send|feed|write|type)s? (?:\w+ ){0,2}input to (?:an? |the )?(?:\w+ )?(?:terminal|shell|repl|process|console|session)\b/i, category: 'Execute' },
  // Input to a running interpreter: "send keystrokes to a running terminal session", "write data to the stdin of a process".
  { pattern: /\b(?:send|feed|write|type|enter|submit|pipe|pass|forward)(?:s|es)? (?:[\w-]+ ){0,3}?(?:input|keystrokes?|keys|text|lines?|data|bytes|characters|chars|commands?)\b (?:in)?to (?:the |an? |its )?(?:[\w-]+ ){0,3}?(?:terminals?|shells?|repls?|consoles?|pty|pseudo-terminal|tty|stdin|standard input|tmux)\b(?! (?:log|logs|output|window))/i, category: 'Execute' },
  { pattern: /\b(?:generat|execut|apply|appli)\w* (?:\w+ ){0,3}ddl\b|\bschema migrations?\b|\bserver-side apply\b/i, category: 'Execute' },
  { pattern: /\bhttp (?:post|put|patch) requests?\b/i, category: 'Execute' },
  // Round 10: "the first run installs dependencies", "installs the required packages": their install scripts run.
  { pattern: /\binstall(?:s|ing) (?:its |the |any |all |required |missing )*(?:[\w-]+ )?(?:dependencies|packages?|plugins?|extensions?|modules?)\b/i, category: 'Execute' },
  // Arbitrary API requests: "an arbitrary HTTP request", "a raw request to the platform API", "call any endpoint".
  // Not "any API call" alone ("authenticate before any API call").
  { pattern: /\b(?:arbitrary|raw) (?:authenticated |signed )?(?:(?:https?|rest|graphql|api)(?: api)? )?(?:requests?|calls?) to (?:the |an? |any )?(?:[\w-]+ ){0,2}(?:apis?|endpoints?|servers?)\b|\b(?:arbitrary|raw) (?:authenticated |signed )?(?:https?|rest|graphql|api)(?: api)? (?:requests?|calls?|endpoints?)\b|\b(?:to|calls?|invokes?|hits?|requests?|against) any (?:[\w-]+ ){0,2}(?:api |rest |http )?endpoints?\b/i, category: 'Execute' },
  { pattern: /\bpermanently (?:delete|remove|destroy|erase|close)s?\b|\b(?:cannot|can't|can not) be (?:undone|recovered|reversed)\b|(?<!\b(?:may|might|could) (?:be )?)\birreversibl[ey]\b/i, category: 'Destructive' },
  { pattern: /\bdeletes? (?:every|all) (?:\w+ ){0,3}(?:resources?|data|records?|files?)\b|\bclean(?:s|ing)? up\b|\bredact/i, category: 'Destructive' },
  { pattern: /\b(?:refunds?|charges?|bills?) (?:a |the )?(?:customer|card|payment method|account)\b/i, category: 'Financial' },
  { pattern: /\b(?:send|transfer|move|withdraw)s? (?:money|funds|payments?)\b/i, category: 'Financial' },
  { pattern: /(?<=^|[.!?:]\s{1,3})(?:purchases?|buys?) (?:a|an|the|new|one|more)\b/im, category: 'Financial' },
  { pattern: /\b(?:billed|charged) (?:to|on|for|by the)\b|\bwill (?:be )?(?:incur|charge|bill)\w*\b|\bincurs? (?:costs?|charges?|fees?)\b/i, category: 'Financial' },
];

/** Parameters naming the HTTP method of a request the tool sends (`method`, `httpMethod`). */
export const HTTP_METHOD_PARAMETER = /^(?:method|http_?method|request_?method|http_?verb)$/i;
/** Name tokens of a tool that sends requests (`http_request`, `api_call`, `raw_fetch`). */
export const REQUEST_TOKENS: ReadonlySet<string> = new Set(['request', 'requests', 'api', 'http', 'https', 'rest', 'call', 'curl', 'fetch', 'endpoint', 'graphql', 'raw']);

/** Description phrases that agree with a Read class. */
export const READ_ONLY_PHRASE = /只读|唯读|読み取り専用|\b(?:solo|sólo) lectura\b|\blecture seule\b|\bsomente leitura\b|\bapenas leitura\b|\bnur lesend\b|\bschreibgeschützt\b|\bread[- ]only\b|\bdoes not (?:modify|change)\b|\bwithout (?:making )?(?:any )?changes\b|\bnothing is (?:written|stored|created|changed)\b|\bwithout (?:creating|executing|billing|applying)\b/i;

/** Words in a boolean parameter's name or description that make setting it destroy something. */
export const DESTRUCTIVE_FLAG = /\b(?:delete|deletes|deleting|drop|drops|dropping|prune|prunes|purge|purges|overwrites?|discard|discards|wipe|wipes|destroy|destroys|erase|erases|erasing)\b|^(?:drop_?target|delete_?local_?data|cascade_?delete|force_?delete|hard_?delete|purge|prune|wipe)$/i;
/** ...unless it only filters what is shown (`includeDeleted`). */
export const FILTER_FLAG = /\b(?:include|includes|including|show|shows|return|returns|list|only|filter|exclude|archived)\b|^(?:include|show|with)/i;

/**
 * Words that hint at a riskier action than Write (code, money, loss) without saying it outright
 * ("Deploy …", "billing", "backups", "overwrite", "scale"). On a tool classed Write they decide nothing,
 * but mark the tool for review so it gets the cautious recommendation rather than Write's limit.
 */
export const RISK_HINTS =
  /\b(?:deploy\w*|scripts?|commands?|container images?|manifests?|migrations?|sql|replicas|billing|billed|cost|costs|pricing|paid|purchas\w+|payments?|backups?|resiz\w+|renew\w*|charges?|invoices?|credits|revenue|fees?|overwrit\w+|restor\w+|rebuild\w*|irreversibl\w+|permanently|scal\w+|provision\w*)\b/i;
