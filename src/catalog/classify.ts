/**
 * The deterministic tool classifier: no model, the same input always gives the same class. Pure.
 * The rubric it implements is in docs/catalog.md; its words are in vocabulary.ts.
 *
 * Evaluation order:
 * 1. The stated action: the name's first action verb, refined by its object (`create_refund` is
 *    Financial, `start_process` Execute but `start_search` Write, `remove_tag_from_task` Write but
 *    `remove_contact` Destructive, `run_aggregation` Read). A command-line tool's name in front of
 *    another verb is only a prefix (`kubectl_get` reads); alone it means Execute (`kubectl_generic`).
 *    Without a verb in the name: the title, then the description's leading verb, or the riskiest
 *    operation a "Manage X: list, create, delete" description lists.
 * 2. Evidence that can only raise the class: an action/operation enum (its riskiest value), code
 *    parameters (`code`, `script`, `manifest`, `initScript`), a boolean flag whose setting destroys
 *    (`dropTarget`, `prune`, "overwrites remote history"), a changing verb on a tool that takes a free
 *    API path (`jira_post`: arbitrary requests), a description that leads with or states a riskier
 *    effect ("Purchase a phone-number", "cannot be undone", "send input to a REPL"), money words in
 *    the description of a changing tool, and provisioning parameters (`region`, `plan`) on a tool that
 *    creates something (a billed resource).
 * 3. MCP annotations come from the server, which may be wrong or lying: they decide only when
 *    nothing else does; they never lower a class; where they contradict it, the tool is marked for
 *    review and the conflict is quoted. `readOnlyHint: true` against a changing class keeps the
 *    higher risk; `readOnlyHint: false` against a plainly reading verb keeps Read (the verb is
 *    specific, the hint is not) but asks for review.
 * 4. No evidence at all: Write, marked for review (the recommendation then asks a human).
 *
 * Every piece of evidence is quoted: what decided, what raised it, and what lost and why.
 */
import type { ToolDefinition } from './lock.js';
import { RISK_OF_CATEGORY, type Category, type Risk } from './types.js';
import {
  ACTION_PARAMETERS,
  APPLY_OBJECTS,
  BILLED_UNITS,
  CODE_PARAMETERS,
  DESCRIPTION_PREFIX,
  DESTRUCTIVE_FLAG,
  DETACHABLE_OBJECTS,
  DROP_OBJECTS,
  EXECUTE_NOUNS,
  FILTER_FLAG,
  GENERATED_OUTPUTS,
  GENERIC_VERBS,
  HTTP_METHOD_PARAMETER,
  INFRASTRUCTURE_OBJECTS,
  HTTP_METHOD_VERBS,
  INPUT_VERBS,
  INTERACTIVE_TARGETS,
  MONEY_NOUNS,
  MONEY_PARAMETERS,
  PHRASES,
  PROVISIONING_PARAMETERS,
  QUERY_LANGUAGES,
  READ_NOUNS,
  READ_OBJECTS,
  READ_ONLY_PHRASE,
  REQUEST_TOKENS,
  RISK_HINTS,
  RUN_OBJECTS,
  SIZE_WORDS,
  TOOL_PREFIX_NOUNS,
  VERB_CATEGORY,
  WEAK_MONEY_NOUNS,
} from './vocabulary.js';
import { gerundStems, operationGerund, routerCommand, routerText } from './router.js';

export interface Classification {
  category: Category;
  risk: Risk;
  /** 0..1: how sure the evidence makes us. */
  confidence: number;
  /** One sentence: why this class. */
  reason: string;
  /** Quoted evidence, the deciding item first. */
  evidence: string[];
  /** Where the evidence disagrees; the higher risk won. */
  conflicts: string[];
  /** Evidence that pointed elsewhere and lost, with why it lost. */
  overruled: string[];
  /** Why a person should review this class (weak or conflicting evidence); absent when the evidence is clear. */
  needsReview?: string;
}

/** One piece of evidence the rules counted; the learned-combiner experiment (fixtures/catalog/learned/) reads them. */
export interface Vote {
  source: 'name' | 'title' | 'description' | 'enum' | 'phrase' | 'parameter' | 'annotations';
  category: Category;
}

/** The class with every vote the rules counted, deciding or not. */
export interface RuleClassification extends Classification {
  votes: Vote[];
}

/** The order classes are compared in: the higher index is the higher risk. */
const RANK: Record<Category, number> = { Read: 0, Write: 1, Execute: 2, Destructive: 3, Financial: 4 };
/** Risk levels: Destructive and Financial are both Critical, so neither raises the other. */
const LEVEL: Record<Category, number> = { Read: 0, Write: 1, Execute: 2, Destructive: 3, Financial: 3 };

const MEANING: Record<Category, string> = {
  Read: 'it reads or retrieves data',
  Write: 'it creates or changes data',
  Execute: 'it runs code, commands or arbitrary requests',
  Destructive: 'it deletes or irreversibly destroys data',
  Financial: 'it moves money or creates a charge',
};

type Source = 'name' | 'title' | 'description' | 'enum' | 'phrase' | 'parameter' | 'annotations';

interface Signal {
  source: Source;
  category: Category;
  strength: number;
  /** Evidence line, e.g. `name: verb "delete" → Destructive`. */
  text: string;
  /** The same as prose, for the reason. */
  why: string;
}

/** Splits snake_case, kebab-case, camelCase, dotted and spaced names into lower-case tokens. */
export function tokenize(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 0);
}

function quote(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}

interface Action {
  category: Category;
  detail: string;
}

const STRONG_MONEY = (token: string) => MONEY_NOUNS.has(token) && !WEAK_MONEY_NOUNS.has(token);
/** Money nouns that prose also uses for other things ("topic subscriptions", "a database transaction"). */
const AMBIGUOUS_IN_PROSE: ReadonlySet<string> = new Set(['subscription', 'subscriptions', 'transaction', 'transactions', 'transfer', 'transfers']);
/** Code nouns that keep a money-looking word from making a tool Financial (`run_sql_transaction`). */
const CODE_NOUNS: ReadonlySet<string> = new Set(['sql', 'code', 'script', 'query', 'command', 'shell', 'bash']);
/** Changing verbs that, on a runnable definition, deploy code; activating or publishing one lets it run on its triggers. */
const CODE_OBJECTS_OF_WRITES: ReadonlySet<string> = new Set(['create', 'update', 'put', 'write', 'edit', 'modify', 'upload', 'save', 'set', 'replace', 'activate', 'enable', 'publish']);
/** Nouns after a runnable definition that make the object something about it (`update_workflow_tags`), not its code. */
const ABOUT_A_DEFINITION: ReadonlySet<string> = new Set([
  'tag', 'tags', 'label', 'labels', 'name', 'title', 'description', 'comment', 'comments', 'note', 'notes', 'owner', 'owners',
  'member', 'members', 'permission', 'permissions', 'folder', 'folders', 'star', 'favorite', 'favourite', 'share', 'sharing',
]);
/** Verbs that hand something over (`transfer_erc20`, `send_coins`): money when what is handed over is a coin, a token or an NFT. */
const HANDING_VERBS: ReadonlySet<string> = new Set(['transfer', 'send', 'move', 'give']);
/** Assets held in a wallet. `token` only when no credential word precedes it (`send_access_token`). */
const WALLET_ASSETS: ReadonlySet<string> = new Set([
  'coin', 'coins', 'stablecoin', 'stablecoins', 'token', 'tokens', 'nft', 'nfts', 'erc20', 'erc721', 'erc1155', 'usdc', 'usdt',
  'eth', 'ether', 'btc', 'bitcoin', 'sol', 'lamports', 'sats', 'satoshis', 'bnb', 'matic', 'native',
]);
const CREDENTIAL_QUALIFIERS: ReadonlySet<string> = new Set(['access', 'api', 'auth', 'authentication', 'refresh', 'bearer', 'session', 'verification', 'reset', 'invite', 'invitation', 'personal', 'oauth', 'jwt', 'csrf', 'id', 'device']);
/** Holders of items picked before a purchase: emptying one loses nothing that was bought or stored on purpose. */
const CARTS: ReadonlySet<string> = new Set(['cart', 'carts', 'basket', 'baskets', 'bag', 'bags', 'wishlist', 'wishlists', 'trolley']);
/** Definitions that run once saved: workflows, functions, scripts. */
const RUNNABLE_DEFINITIONS: ReadonlySet<string> = new Set(['workflow', 'workflows', 'function', 'functions', 'lambda', 'lambdas', 'script', 'scripts', 'macro', 'macros', 'pipeline', 'pipelines', 'procedure', 'procedures', 'trigger', 'triggers']);
/** Parameters that set a price (`price`, `unit_amount`, `compareAtPrice`); `amount` alone is too common. */
const PRICE_PARAMETERS = /^(?:price|prices|unit_?price|unit_?amount|compare_?at_?price|sale_?price|regular_?price|list_?price|amount_?off|percent_?off|price_?cents|price_?amount)$/i;

/** Add-ons billed while they are on (`enable_backups`, `create_addon`). */
const PAID_ADDONS: ReadonlySet<string> = new Set(['backups', 'addon', 'addons']);
/** What a service can be created from and then runs (`service_create_from_repo`). */
const DEPLOYABLE_SOURCES: ReadonlySet<string> = new Set(['repo', 'repository', 'git', 'image', 'dockerfile']);
const CREATES_RUNNABLE: ReadonlySet<string> = new Set(['create', 'new', 'launch', 'deploy', 'provision', 'setup']);

/** What a restore overwrites the present with. */
const BACKUP_WORDS: ReadonlySet<string> = new Set(['backup', 'backups', 'snapshot', 'snapshots', 'image', 'dump', 'archive']);

/** Verbs that, on a "transaction", mean a database transaction rather than money. */
const DATABASE_TRANSACTION_VERBS: ReadonlySet<string> = new Set(['begin', 'commit', 'rollback', 'execute', 'exec', 'run', 'abort']);
/** What a reset replaces rather than wipes (`reset_password`). */
const CREDENTIALS: ReadonlySet<string> = new Set(['password', 'passwords', 'credential', 'credentials', 'token', 'tokens', 'key', 'keys', 'secret', 'secrets', 'pin']);
/** Description leads that destroy, not merely remove or detach. */
const STRONG_DESTRUCTION = /^(?:delete|destroy|purge|erase|wipe|drop|truncate|terminate|redact|permanently|restore)/i;

/** Bookkeeping records that state money owed, paid or moved (`create_journal_entry`, "Create a vendor credit"). */
const MONEY_RECORDS: ReadonlyArray<readonly [string, ReadonlySet<string>]> = [
  ['journal', new Set(['entry', 'entries'])],
  ['credit', new Set(['note', 'notes', 'memo', 'memos'])],
  ['vendor', new Set(['credit', 'credits', 'bill', 'bills'])],
  ['sales', new Set(['receipt', 'receipts'])],
  ['bank', new Set(['transaction', 'transactions', 'transfer', 'transfers', 'deposit', 'deposits'])],
  ['bill', new Set(['payment', 'payments'])],
];

function moneyRecord(tokens: readonly string[]): string | undefined {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const next = MONEY_RECORDS.find(([first]) => first === tokens[i])?.[1];
    if (next?.has(tokens[i + 1]!)) return `${tokens[i]} ${tokens[i + 1]}`;
  }
  return undefined;
}

/** Execute nouns that a query tool's text uses without naming other code ("a query job", "the database process"). */
const NOT_CODE_IN_QUERY_TOOLS: ReadonlySet<string> = new Set(['job', 'jobs', 'task', 'process', 'action', 'test', 'tests', 'container', 'pod', 'build', 'package', 'packages', 'dependencies', 'pipeline', 'pipelines', 'workflow', 'workflows', 'function', 'functions', 'cell']);

/** Words in a boolean parameter that lets a read-only tool write (`allow_write`, `allowMutations`, `unsafe`). */
const WRITE_SWITCH_WORDS: ReadonlySet<string> = new Set(['write', 'writes', 'writable', 'writeable', 'mutation', 'mutations', 'mutate', 'mutating', 'unsafe', 'dangerous']);

/** What `open` navigates to rather than reads. */
const NAVIGATION_TARGETS: ReadonlySet<string> = new Set(['url', 'urls', 'link', 'links', 'page', 'pages', 'website', 'site', 'webpage', 'tab', 'tabs']);

/** Nouns after a terminal or console that name something other than its input (`write_console_log`). */
const NOT_INPUT_AFTER_TARGET: ReadonlySet<string> = new Set(['log', 'logs', 'output', 'window', 'settings', 'config', 'configuration', 'theme', 'title', 'profile']);

/** Objects of `resize` that are only shown, not billed (`resize_window`). */
const DISPLAY_OBJECTS: ReadonlySet<string> = new Set(['window', 'windows', 'page', 'viewport', 'browser', 'image', 'images', 'photo', 'picture', 'column', 'columns', 'panel', 'pane', 'terminal', 'screen', 'canvas', 'element', 'text', 'font']);

/** Refines a verb's category by the words after it: its object decides what kind of action it is. */
/** Verbs that commit an order or a trade (`confirm_order`, `submit_trade`), and what is traded. */
const ORDER_VERBS: ReadonlySet<string> = new Set(['confirm', 'submit', 'place', 'execute']);
const TRADED: ReadonlySet<string> = new Set(['order', 'orders', 'trade', 'trades']);
/** Nouns after "job" that make it a record (`submit_job_application`), not work that runs. */
const RECORDS_AFTER_JOB: ReadonlySet<string> = new Set(['application', 'applications', 'posting', 'postings', 'listing', 'listings', 'offer', 'offers', 'description', 'title']);
/** What runs an image: changing the image of one of these deploys that image (`update_container(image)`). */
const RUNS_AN_IMAGE: ReadonlySet<string> = new Set(['container', 'containers', 'pod', 'pods', 'service', 'services', 'deployment', 'deployments', 'worker', 'workers', 'job', 'jobs', 'function', 'functions']);
/**
 * "Replaces the full list of …", "addresses not present in the request are removed": a call that overwrites a
 * whole set, so whatever is left out is deleted. Not "omitted fields are left untouched".
 */
const REPLACES_WHOLE_SET = /\breplac(?:e|es|ing) (?:the |all |every |an? )?(?:[\w-]+ ){0,3}?(?:full|whole|entire|complete) (?:set|list|collection)\b|\b(?:not (?:present|included|listed|sent) in the (?:request|list|array|body)|omitted from the (?:request|list)) (?:are|is|will be|get) (?:removed|deleted|dropped)\b|\breplac(?:e|es|ing) all (?:the |of the )?(?:[\w-]+ ){0,2}?(?:data|rows|records|entries|items|cards|values)\b|\breplac(?:e|es|ing) all (?:the )?contents? of (?:an? |the |this )?(?!(?:doc|document|page|file|note|message)s?\b)[\w-]+|\breplac(?:e|es|ing) the (?:entire|whole) (?:[\w-]+ ){0,2}?(?:layout|contents?|data|set|list|table|collection)\b|\bremoves the existing (?:items|entries|records|rows)\b/i;
/** Verbs that run a finished or failed job again. */
const RETRY_VERBS: ReadonlySet<string> = new Set(['retry', 'requeue', 'resubmit']);
/** State a browser or a tool rebuilds by itself: clearing it loses nothing that was stored on purpose. */
const TRANSIENT_STATE: ReadonlySet<string> = new Set(['cookie', 'cookies', 'cache', 'caches', 'console', 'selection', 'highlight', 'highlights']);
/** Round 11: what a task, a lock or a claim released goes back to (a released IP address or volume is gone). */
const RELEASED_HOLDS: ReadonlySet<string> = new Set(['task', 'tasks', 'lock', 'locks', 'lease', 'leases', 'claim', 'claims', 'hold', 'holds', 'mutex', 'semaphore', 'checkout']);
/** Round 11: verbs that end something running; of a run (a job, a build) they stop it, of a machine they destroy it. */
const STOPPING_VERBS: ReadonlySet<string> = new Set(['terminate', 'kill', 'abort', 'halt']);
const STOPPED_RUNS: ReadonlySet<string> = new Set(['job', 'jobs', 'build', 'builds', 'run', 'runs', 'pipeline', 'pipelines', 'execution', 'executions', 'workflow', 'workflows']);
/** Round 11: links that share something; deleting one stops the sharing, the shared thing stays. */
const SHARING: ReadonlySet<string> = new Set(['public', 'sharing', 'share', 'shared', 'embed', 'embedding']);
/** Round 11: memberships and protections: deleting one changes who may do what; nothing is lost. */
const MEMBERSHIPS: ReadonlySet<string> = new Set(['member', 'members', 'membership', 'memberships', 'collaborator', 'collaborators', 'protection', 'protections']);
/** Round 12: verbs that take a new phone number from a carrier. */
const BUYS_A_NUMBER: ReadonlySet<string> = new Set(['create', 'add', 'provision', 'new', 'register', 'claim', 'rent', 'order', 'acquire', 'get_new']);
/** Round 12: words of an amount paid to a person for work (`prize_usd`, `base_pay_usd`, `reward`). */
const PAY_WORDS: ReadonlySet<string> = new Set(['prize', 'prizes', 'reward', 'rewards', 'bounty', 'pay', 'wage', 'wages', 'salary']);
/** Round 12: grants and links between records: deleting one loses no data of its own. */
const GRANTS_AND_LINKS: ReadonlySet<string> = new Set(['permission', 'permissions', 'linked', 'override', 'overrides']);
/** Round 12: what a subscription delivers when it is not a paid plan. */
const NOTIFICATION_SUBSCRIPTION = /\b(?:change )?notifications?\b|\bwebhooks?\b|\blisteners?\b|\bcallbacks?\b/i;
/** Round 12: a soft delete, or a delete that moves the thing to the deleted items, can be undone. */
const SOFT_DELETE = /\bsoft[- ]delet\w*|\bmoves? (?:[\w-]+ ){0,4}?to (?:the )?(?:deleted items|trash|recycle bin)\b/i;
/** Round 12: "the original child transactions remain": what the delete grouped or linked is kept. */
const ORIGINALS_REMAIN = /\bthe original (?:[\w-]+ ){0,2}(?:remain|stay|are kept)\b/i;
/** Round 12: places a thing is removed from that are its only home ("Remove tag from system"): taking it out deletes it. */
const WHOLE_PLACES: ReadonlySet<string> = new Set(['system', 'server', 'instance', 'platform']);
/** Round 11: runs that a resume carries on with (the rest of a deploy, a pipeline, a build); a paused deployment is a site, resumed to serve. */
const RESUMED_RUNS: ReadonlySet<string> = new Set(['deploy', 'rollout', 'rollouts', 'pipeline', 'pipelines', 'build', 'builds', 'workflow', 'workflows']);
/** Round 11: sessions a run opens (a live session on a device or a browser), unless code is named. */
const SESSIONS: ReadonlySet<string> = new Set(['session', 'sessions']);
/** Round 9: reactions on a record; deleting one removes a reaction, as `remove_reaction` does. */
const REACTIONS: ReadonlySet<string> = new Set(['reaction', 'reactions', 'emoji', 'emojis', 'award', 'awards']);
/** Round 9: what `resolve` marks resolved (a review thread, an incident), not a name or an identifier it looks up. */
const RESOLVABLE: ReadonlySet<string> = new Set(['thread', 'threads', 'discussion', 'discussions', 'comment', 'comments', 'conversation', 'conversations', 'incident', 'incidents', 'alert', 'alerts', 'ticket', 'tickets']);
/** Round 9: query languages that only read (reports, metrics, logs, issue searches): a query in one cannot change anything. */
const READ_ONLY_QUERY_LANGUAGES: ReadonlySet<string> = new Set(['gaql', 'promql', 'logql', 'traceql', 'metricsql', 'nrql', 'jql', 'soql', 'kql']);
/** Round 9: orders and expense claims, which state money owed or spent; with an amount, creating or changing one is Financial. */
const SPEND_RECORDS: ReadonlySet<string> = new Set(['order', 'orders', 'expense', 'expenses', 'reimbursement', 'reimbursements']);
/** Round 9: objects of permissions a member is granted (`permissions.deleteAnyCollection`): a grant, not an action. */
const GRANT_OBJECTS = /^(?:permissions?|access|rights|capabilities|scopes|grants|privileges)$/i;
/** Round 9: a redaction of what the tool returns ("redacted from stdout/stderr"), not of stored data. */
const REDACTS_OUTPUT = /\bredact\w*(?: [\w-]+){0,3} (?:from|in) (?:the |its )?(?:[\w-]+\/)?(?:stdout|stderr|output|logs?|results?|responses?|transcripts?)\b/i;
/** Round 9: a parameter that is the path of a program to start (`firefoxPath`: "New Firefox binary path"). */
const PROGRAM_PATH = /\b(?:binary|executable|program) (?:file )?path\b|\bpath (?:to|of) (?:the |an? )?(?:[\w-]+ ){0,2}(?:binary|executable)\b/i;
/** Round 9: a delete that moves to the trash ("Move a file or folder to trash (can be restored …)"). */
const MOVES_TO_TRASH = /^(?:moves?|sends?|puts?) (?:[\w-]+ ){0,4}?(?:in)?to (?:the )?(?:trash|recycle bin|bin|wastebasket)\b/i;
/** Round 9: a generated secret handed back to the caller ("Generate a secure password or passphrase"). */
const GENERATED_SECRET = /\b(?:passwords?|passphrases?)\b/i;
const QUEUES: ReadonlySet<string> = new Set(['queue', 'queues']);
const SYNC_OBJECTS: ReadonlySet<string> = new Set(['sync', 'resync', 'refresh', 'reindex',
  // Round 12: a fetch of the latest data from a connected source ("Trigger a fetch of latest data from Plaid").
  'fetch']);
const REBUILD_VERBS: ReadonlySet<string> = new Set(['rebuild', 'recreate', 'reinitialize', 'reinit', 'reimage']);
/** What holds data of its own, so that rebuilding it from nothing loses the data. */
const DATA_STORES: ReadonlySet<string> = new Set([
  'database', 'databases', 'db', 'dbs', 'volume', 'volumes', 'disk', 'disks', 'server', 'servers', 'droplet', 'droplets', 'vm', 'vms',
  'mysql', 'mariadb', 'postgres', 'postgresql', 'mongo', 'mongodb', 'redis', 'cluster', 'clusters',
]);
/** Tokens before "sql" that make a product's name (MySQL, PostgreSQL, NoSQL, Spark SQL), not SQL code. */
const SQL_PRODUCT_PREFIXES: ReadonlySet<string> = new Set(['my', 'postgre', 'no', 'spark', 'ms', 'cloud', 'azure']);
/** Yes/no questions as a name's first word (`can_delete_user`, `isDomainAvailable`). */
const QUESTION_WORDS: ReadonlySet<string> = new Set(['can', 'is', 'has', 'does', 'should']);
/** "Check a checkbox", "tick the radio button": a page interaction, not a check that reads. */
// Round 7 kinds (docs/dev/catalog-classifier.md, section 18).
/** "Mark the messages as read": a reading word in the name, a flag changed on the server. */
const MARKS_READ = /^marks? (?:[\w-]+ ){0,4}?(?:as )?(?:read|seen|unread|unseen)\b/i;
/** "Sends a verification code …": the description's lead sends something while the name only checks. */
const SENDS_SOMETHING = /^(?:sends?|notif(?:y|ies)) |^(?:e-?mails?|texts?|messages?) (?:a|an|the|one|each)\b/i;
/** Where a watch delivers its notifications (`topicName`, `webhookUrl`, `callback_url`, a channel's `address`). */
const NOTIFICATION_DESTINATION = /^(?:topic|topic_?name|pub_?sub_?topic|webhook|webhook_?url|callback|callback_?url|notification_?url|push_?endpoint|address)$/i;
const WATCHING_VERBS: ReadonlySet<string> = new Set(['watch', 'monitor']);
/** A query tool that says it can write ("supports both read-write and read-only queries", "mutations are allowed"). */
const WRITING_QUERIES = /(?<!\b(?:no|not|non|never|without)[- ](?:\w+ )?)\b(?:read[- ]write|reads? and writes?|write (?:queries|operations|clauses)|(?:updates|mutations|writes) are (?:allowed|supported)|supports? (?:\w+ ){0,2}(?:writes|updates|mutations|write queries))\b/i;
/** A purpose clause: "… before executing a query" says what the caller does next, not what the tool does. */
const PURPOSE_BEFORE = /\b(?:before|prior to|ahead of)\s+(?:[\w-]+\s+){0,5}$/i;

const TICKS_A_BOX = /^(?:un)?(?:check|tick)s? (?:(?:a|an|the|one|this) )?(?:[\w-]+ )?(?:check ?box(?:es)?|radio(?: buttons?)?|toggle)\b/i;
/**
 * A description saying that what the tool creates or changes is billed: "BILLABLE from creation", "a billable
 * resource that keeps incurring storage charges", "billed by the hour", "changes incur additional charges".
 * Not billable hours or a `billable` flag of a timesheet ("billable" must say when or what is billed), nor "non-billable".
 */
const BILLED_PHRASE = /(?<![\w-])(?:billable(?=(?: [\w-]+)? (?:resources?|from|until|while|per|by)\b|:)|billed (?:by the|per|hourly|monthly|from|until|for every)|incur(?:s|ring)? (?:\w+ ){0,2}(?:charges|costs|fees)\b|charges (?:apply|accrue)\b)/i;

// Round 10 kinds (docs/dev/catalog-classifier.md, section 21).
/** What the server keeps to stay signed in: clearing it means signing in again (`clear_tokens`, `clear_auth`). */
const STORED_LOGINS: ReadonlySet<string> = new Set(['token', 'tokens', 'auth', 'authentication', 'credentials', 'login', 'logins']);
/** What a withdrawal takes back rather than pays out (`withdraw_offer`, `withdraw_application`). */
const WITHDRAWN_RECORDS: ReadonlySet<string> = new Set(['offer', 'offers', 'listing', 'listings', 'application', 'applications', 'proposal', 'proposals', 'request', 'requests', 'invitation', 'invitations', 'consent', 'submission', 'submissions', 'nomination', 'bid', 'bids']);
/** Records that a migration moves to another model or place (a migration of a database or a schema runs code). */
const MIGRATED_RECORDS: ReadonlySet<string> = new Set(['listing', 'listings', 'user', 'users', 'account', 'accounts', 'contact', 'contacts', 'customer', 'customers', 'item', 'items', 'product', 'products', 'subscriber', 'subscribers', 'record', 'records', 'issue', 'issues', 'ticket', 'tickets', 'page', 'pages', 'post', 'posts']);
const NOTHING: ReadonlySet<string> = new Set();
/** What a money word can qualify without being money itself (`payment_policy`, `payment_dispute_evidence`). */
const ABOUT_MONEY: ReadonlySet<string> = new Set(['policy', 'policies', 'evidence', 'template', 'templates']);
/** What a subscription is to when nobody pays for it (`notification_subscription`, `webhook_subscription`). */
const FREE_SUBSCRIPTIONS: ReadonlySet<string> = new Set(['notification', 'notifications', 'webhook', 'webhooks', 'event', 'events', 'topic', 'topics', 'alert', 'alerts', 'push', 'feed', 'feeds', 'email', 'emails', 'newsletter', 'newsletters']);

/** A money word that only qualifies what follows it (a payment policy) or a subscription to notifications, not money. */
function moneyOnlyQualifies(tokens: readonly string[], i: number): boolean {
  const token = tokens[i]!;
  if ((token === 'subscription' || token === 'subscriptions') && FREE_SUBSCRIPTIONS.has(tokens[i - 1] ?? '')) return true;
  return tokens.slice(i + 1, i + 3).some((next) => ABOUT_MONEY.has(next));
}

function refineVerb(verb: string, category: Category, rest: readonly string[], all: readonly string[], prose = false, ignored: ReadonlySet<string> = NOTHING): Action {
  const object = rest.slice(0, 4);
  const has = (set: ReadonlySet<string>) => object.find((token) => set.has(token));
  // Input to a running terminal, shell or REPL runs whatever it says (`send_to_repl`, `pty_write`), when the
  // interpreter is the verb's object or the name ends with the verb; `shell_write_file` writes a file.
  if (INPUT_VERBS.has(verb)) {
    const at = object.findIndex((token) => INTERACTIVE_TARGETS.has(token));
    const target = at >= 0 ? object[at] : rest.length === 0 ? all.find((token) => INTERACTIVE_TARGETS.has(token)) : undefined;
    // `write_console_log`, `send_terminal_settings`: something about the interpreter, not input to it.
    if (target && !(at >= 0 && NOT_INPUT_AFTER_TARGET.has(object[at + 1] ?? ''))) return { category: 'Execute', detail: `"${verb}" to a "${target}", input a running interpreter runs` };
  }
  // Opening a URL or a page in a browser navigates (a page loads, scripts run); opening a file or a record reads it.
  if (verb === 'open' && has(NAVIGATION_TARGETS)) return { category: 'Write', detail: `"open" of a "${has(NAVIGATION_TARGETS)}", which navigates` };
  // Scaling an image or a page is drawing; scaling a deployment can take it to zero.
  if (verb === 'scale' && has(DISPLAY_OBJECTS)) return { category: 'Write', detail: `"scale" of "${has(DISPLAY_OBJECTS)}", which is only shown` };
  // Confirming, placing or submitting an order or a trade spends money (a work order is a request for work).
  const deal = ORDER_VERBS.has(verb) ? object.find((token) => TRADED.has(token)) : undefined;
  if (deal && !object.includes('work')) return { category: 'Financial', detail: `"${verb}" of an "${deal}", which buys or sells` };
  // Submitting a job or a build runs it ("Submit a batch job"); a job application or posting is a record.
  if (verb === 'submit') {
    const at = object.findIndex((token) => RUN_OBJECTS.has(token));
    if (at >= 0 && !RECORDS_AFTER_JOB.has(object[at + 1] ?? '')) return { category: 'Execute', detail: `"submit" of "${object[at]}", which runs it` };
  }
  // Retrying a job, build or pipeline runs it again; retrying a delivery or a message sends it again.
  if (RETRY_VERBS.has(verb)) {
    const runs = (object.length > 0 ? object : all).find((token) => RUN_OBJECTS.has(token));
    if (runs) return { category: 'Execute', detail: `"${verb}" of "${runs}", which runs it again` };
  }
  // Handing over a coin, a token or an NFT moves value out of a wallet (`transfer_erc20`, `send_coins`); a domain, an
  // issue or a call handed over does not.
  if (HANDING_VERBS.has(verb)) {
    const asset = object.find((token, i) => WALLET_ASSETS.has(token) && !((token === 'token' || token === 'tokens') && CREDENTIAL_QUALIFIERS.has(object[i - 1] ?? '')));
    if (asset) return { category: 'Financial', detail: `"${verb}" of "${asset}", an asset of value held in a wallet` };
  }
  // Round 8: verifying a domain or a sender identity starts the provider's ownership check, which marks it verified.
  if (verb === 'verify' && has(OWNED_IDENTITIES)) return { category: 'Write', detail: `"verify" of a "${has(OWNED_IDENTITIES)}", which starts an ownership check that marks it verified` };
  // Emptying a cart or a basket drops items picked before a purchase: they can be picked again.
  if ((verb === 'clear' || verb === 'wipe' || verb === 'clean' || verb === 'empty') && has(CARTS)) return { category: 'Write', detail: `"${verb}" of a "${has(CARTS)}", items that can be picked again` };
  // Clearing cookies, a cache or captured console messages resets transient state; clearing a table destroys data.
  if ((verb === 'clear' || verb === 'wipe' || verb === 'clean') && has(TRANSIENT_STATE)) return { category: 'Write', detail: `"${verb}" of "${has(TRANSIENT_STATE)}", transient state rebuilt on use` };
  // Cleaning the queues of pending work (`cleanQueues`) drops work not yet started; purging a queue's messages loses them.
  if (verb === 'clean' && (has(QUEUES) || (rest.length === 0 && all.some((token) => QUEUES.has(token))))) return { category: 'Write', detail: `"clean" of "${has(QUEUES) ?? all.find((token) => QUEUES.has(token))}", pending work that can be queued again` };
  // Rebuilding or recreating a database, a volume, a disk or a server starts it from nothing: its data is gone.
  if (REBUILD_VERBS.has(verb)) {
    const store = all.find((token) => DATA_STORES.has(token));
    if (store) return { category: 'Destructive', detail: `"${verb}" of a "${store}", which starts it from nothing` };
  }
  if (verb === 'drop' && !has(DROP_OBJECTS)) return { category: 'Write', detail: `verb "drop" (not of a data store)` };
  if (verb === 'query') {
    const language = all.find((token) => QUERY_LANGUAGES.has(token));
    if (language) return { category: 'Execute', detail: `"query" in ${language.toUpperCase()}` };
  }
  if (verb === 'reset' && has(CREDENTIALS)) return { category: 'Write', detail: `"reset" of "${has(CREDENTIALS)}", which replaces a credential` };
  // Turning on or off a paid add-on of a server (its backups, an add-on) changes the bill.
  if ((verb === 'enable' || verb === 'disable' || verb === 'add' || verb === 'create' || verb === 'attach') && object.some((token) => PAID_ADDONS.has(token))) return { category: 'Financial', detail: `"${verb}" of "${object.find((token) => PAID_ADDONS.has(token))}", a billed add-on` };
  // Creating a service from a repository or an image deploys and runs that code.
  const source = rest.findIndex((token) => token === 'from');
  if (CREATES_RUNNABLE.has(verb) && source >= 0 && DEPLOYABLE_SOURCES.has(rest[source + 1] ?? '')) return { category: 'Execute', detail: `"${verb}" from a "${rest[source + 1]}", which deploys its code` };
  // Restoring from a backup or snapshot overwrites what is there now; restoring from the trash does not.
  if (verb === 'restore' && all.some((token) => BACKUP_WORDS.has(token))) return { category: 'Destructive', detail: `"restore" from a ${all.find((token) => BACKUP_WORDS.has(token))}, which overwrites the current data` };
  // "Subscribe to notifications", "subscribe to a topic": money only when a plan, price or paid product is named.
  if (verb === 'subscribe' && !all.some((token) => (STRONG_MONEY(token) || token === 'plan' || token === 'plans') && token !== 'subscription' && token !== 'subscriptions')) return { category: 'Write', detail: `"subscribe" with no plan or price named (notifications, topics)` };
  // A database transaction (`commit_transaction`, `execute_in_transaction`) moves no money.
  // Round 10: also named resource-first (`mysql_transaction_commit`, `pg_transaction_rollback_to`).
  const before = all.slice(0, Math.max(0, all.indexOf(verb)));
  if (DATABASE_TRANSACTION_VERBS.has(verb) && [...object, ...before].some((token) => token === 'transaction' || token === 'transactions')) return category === 'Execute' ? { category, detail: `"${verb}" in a database transaction` } : { category: 'Write', detail: `"${verb}" of a database transaction` };
  // Round 10: a savepoint released or rolled back to is part of a database transaction.
  if ((verb === 'release' || verb === 'rollback' || verb === 'create') && all.some((token) => token === 'savepoint' || token === 'savepoints')) return { category: 'Write', detail: `"${verb}" of a savepoint, part of a database transaction` };
  // Round 10: clearing the server's own stored tokens or login (`clear_tokens`, `clear_auth`) means logging in again.
  if ((verb === 'clear' || verb === 'wipe' || verb === 'clean') && STORED_LOGINS.has(object[0] ?? '')) return { category: 'Write', detail: `"${verb}" of "${object[0]}", a stored login that signing in again restores` };
  // Round 10: withdrawing an offer, a listing or an application takes it back; withdrawing funds moves money.
  if (verb === 'withdraw' && has(WITHDRAWN_RECORDS)) return { category: 'Write', detail: `"withdraw" of a "${has(WITHDRAWN_RECORDS)}", which takes it back` };
  // Round 10: migrating records (listings, users) to another model moves them; migrating a database runs migrations.
  if (verb === 'migrate' && has(MIGRATED_RECORDS)) return { category: 'Write', detail: `"migrate" of "${has(MIGRATED_RECORDS)}", records moved to another model` };
  // Round 10: a job added or queued (`add_job`, `enqueue_job`) is work the queue's workers run with its data.
  const queued = object.filter((token) => !['a', 'an', 'the', 'new', 'one'].includes(token));
  if ((verb === 'add' || verb === 'push') && (queued[0] === 'job' || queued[0] === 'jobs') && (queued[1] === undefined || ['to', 'onto', 'into', 'in', 'with'].includes(queued[1]))) return { category: 'Execute', detail: `"${verb}" of a "${queued[0]}", which the queue's workers run` };
  // Round 9: a reaction deleted (`delete_issue_emoji_reaction`) is a reaction removed, which can be added again.
  if (verb === 'delete' && has(REACTIONS)) return { category: 'Write', detail: `"delete" of a "${has(REACTIONS)}", which can be added again` };
  // Round 9: resolving a thread, a comment or an incident changes its state; resolving a name or an ID reads.
  if (verb === 'resolve' && has(RESOLVABLE)) return { category: 'Write', detail: `"resolve" of a "${has(RESOLVABLE)}", which marks it resolved` };
  // Round 9: a query in a language that can only read (`execute_gaql_query`, `run_promql`) computes an answer.
  if ((verb === 'run' || verb === 'execute' || verb === 'exec' || verb === 'query') && all.some((token) => READ_ONLY_QUERY_LANGUAGES.has(token))) {
    return { category: 'Read', detail: `"${verb}" of a ${all.find((token) => READ_ONLY_QUERY_LANGUAGES.has(token))!.toUpperCase()} query, a language that only reads` };
  }
  // Round 11 kinds (docs/dev/catalog-classifier.md, section 22).
  if (verb === 'release' && has(RELEASED_HOLDS)) return { category: 'Write', detail: `"release" of a "${has(RELEASED_HOLDS)}", which hands it back` };
  if (STOPPING_VERBS.has(verb) && has(STOPPED_RUNS) && !has(BILLED_UNITS)) return { category: 'Write', detail: `"${verb}" of a running "${has(STOPPED_RUNS)}", which stops it` };
  if ((verb === 'delete' || verb === 'remove') && object.some((token) => token === 'link' || token === 'links') && has(SHARING)) return { category: 'Write', detail: `"${verb}" of a "${has(SHARING)}" link, which stops the sharing` };
  if (verb === 'delete' && has(MEMBERSHIPS)) return { category: 'Write', detail: `"delete" of a "${has(MEMBERSHIPS)}", which changes who may do what` };
  // Round 12: creating, adding or provisioning a phone number buys one from the carrier, billed while it is kept;
  // a phone number added to a contact or a profile is a field.
  const phone = object.findIndex((token, i) => token === 'phonenumber' || token === 'phonenumbers' || (token === 'phone' && /^numbers?$/.test(object[i + 1] ?? '')));
  if (BUYS_A_NUMBER.has(verb) && phone >= 0 && !rest.slice(phone).some((token) => token === 'to' || token === 'for' || token === 'of')) return { category: 'Financial', detail: `"${verb}" of a phone number, which is bought and billed while it is kept` };
  // Round 12: a permission, a relation, a linked resource or an override deleted takes away a grant or a link; what it
  // pointed at stays (`delete_drive_item_permission`, `delete_todo_linked_resource`). Not relations: in a graph they are the data.
  if (verb === 'delete' && has(GRANTS_AND_LINKS)) return { category: 'Write', detail: `"delete" of a "${has(GRANTS_AND_LINKS)}", a grant or a link; what it pointed at stays` };
  if ((verb === 'resume' || verb === 'continue') && has(RESUMED_RUNS)) return { category: 'Execute', detail: `"${verb}" of a "${has(RESUMED_RUNS)}", which runs the rest of it` };
  if (verb === 'run' && has(SESSIONS) && !all.some((token) => EXECUTE_NOUNS.has(token) || INTERACTIVE_TARGETS.has(token))) return { category: 'Write', detail: `"run" of a "${has(SESSIONS)}", which opens it` };
  if (verb === 'remove' || verb === 'unlink') {
    const detachable = has(DETACHABLE_OBJECTS);
    if (detachable || rest.includes('from')) return { category: 'Write', detail: `"${verb}" of a link (${detachable ? `"${detachable}"` : '"… from …"'}), which can be added again` };
  }
  if (verb === 'run' || verb === 'execute' || verb === 'exec') {
    const read = has(READ_OBJECTS);
    if (read) return { category: 'Read', detail: `"${verb}" of "${read}", which computes an answer` };
  }
  if (verb === 'generate') {
    // Round 11: also named resource-first (`pdf_generate`).
    const output = has(GENERATED_OUTPUTS) ?? (rest.length === 0 ? all.find((token) => GENERATED_OUTPUTS.has(token)) : undefined);
    if (output && !all.some((token) => MONEY_NOUNS.has(token))) return { category: 'Read', detail: `"${verb}" of "${output}", content returned to the caller` };
  }
  if (verb === 'start' || verb === 'launch' || verb === 'trigger' || verb === 'stop') {
    const read = has(READ_OBJECTS);
    if (read && verb !== 'stop') return { category: 'Read', detail: `"${verb}" of "${read}", which computes an answer` };
    const runs = has(RUN_OBJECTS) ?? has(EXECUTE_NOUNS);
    if (verb !== 'stop' && runs) return { category: 'Execute', detail: `"${verb}" of "${runs}"` };
    // Triggering a sync or a refresh asks the service to do its own fixed work; it runs nothing of the caller's.
    if (verb === 'trigger' && has(SYNC_OBJECTS)) return { category: 'Write', detail: `"trigger" of "${has(SYNC_OBJECTS)}", the service's own fixed work` };
    if (verb === 'trigger') return { category: 'Execute', detail: 'verb "trigger"' };
    return { category: 'Write', detail: `verb "${verb}"${object[0] ? ` of "${object[0]}"` : ''}` };
  }
  if (verb === 'apply') {
    const target = has(APPLY_OBJECTS);
    if (!target && object.length > 0) return { category: 'Write', detail: `"apply" of "${object[0]}"` };
  }
  if (category === 'Write' || category === 'Execute' || verb === 'capture') {
    const migration = has(new Set(['migration', 'migrations', 'ddl', 'manifest', 'manifests']));
    if (migration && category === 'Write') return { category: 'Execute', detail: `"${verb}" of "${migration}"` };
    // Creating or changing code that then runs is deploying it (`workflow_create`, `update_function`).
    const code = CODE_OBJECTS_OF_WRITES.has(verb) ? all.find((token, i) => RUNNABLE_DEFINITIONS.has(token) && !ABOUT_A_DEFINITION.has(all[i + 1] ?? '')) : undefined;
    if (code && category === 'Write') return { category: 'Execute', detail: `"${verb}" of "${code}", code that runs` };
    const money = all.some((token) => QUERY_LANGUAGES.has(token) || CODE_NOUNS.has(token)) ? undefined : (all.find((token, i) => token !== verb && STRONG_MONEY(token) && !(prose && AMBIGUOUS_IN_PROSE.has(token)) && !moneyOnlyQualifies(all, i) && !ignored.has(token)) ?? moneyRecord(all));
    if (money) return { category: 'Financial', detail: `"${verb}" on "${money}"` };
  }
  return { category, detail: `verb "${verb}"` };
}

function verbCategory(word: string): { verb: string; category: Category } | undefined {
  const exact = VERB_CATEGORY.get(word);
  if (exact) return { verb: word, category: exact };
  // Descriptions use the third person: "Deletes", "Retrieves", "Echoes", "Applies".
  const stems = word.endsWith('ies') ? [`${word.slice(0, -3)}y`] : word.endsWith('es') ? [word.slice(0, -2), word.slice(0, -1)] : word.endsWith('s') ? [word.slice(0, -1)] : [];
  for (const stem of stems) {
    const category = VERB_CATEGORY.get(stem);
    if (category) return { verb: stem, category };
  }
  return undefined;
}

/** Round 10: words that are nouns as often as verbs (`purchase_invoice`, `expense_claim`, `test_plan`, `pipelines_build`). */
export const NOUN_VERBS: ReadonlySet<string> = new Set([
  'order', 'purchase', 'invoice', 'claim', 'build', 'run', 'test', 'like', 'bill', 'charge', 'deposit', 'transfer', 'trade',
  'credit', 'debit', 'record', 'release', 'schedule', 'comment', 'plan',
]);
/** Verbs that end a name written resource-first (`erp_sales_invoice_get`, `testplan_test_case_write`). */
const TRAILING_VERBS: ReadonlySet<string> = new Set(['get', 'list', 'search', 'read', 'write', 'create', 'update', 'delete', 'fetch', 'find', 'describe', 'count', 'show', 'add', 'remove', 'set', 'upsert', 'edit']);
/** What a `code` in a name identifies (`exchange_authorization_code`), not code to run. */
const CODE_QUALIFIERS: ReadonlySet<string> = new Set(['authorization', 'authorisation', 'auth', 'oauth', 'verification', 'otp', 'confirmation', 'access', 'reset', 'promo', 'invite', 'invitation', 'country', 'currency', 'tracking', 'security']);

/**
 * Round 10: a name that ends with its verb, written resource-first, whose earlier "verb" is a noun-verb homograph naming the
 * object: `purchase_invoice_get` reads an invoice, `testplan_test_plan_write` writes a plan. A reading verb at the end
 * decides; a changing one decides when it is riskier than the homograph (`sales_order_create` keeps the order's money).
 */
function trailingVerb(tokens: readonly string[]): Action | undefined {
  const last = tokens.length - 1;
  const verb = tokens[last];
  if (last < 1 || verb === undefined || !TRAILING_VERBS.has(verb)) return undefined;
  const first = tokens.findIndex((token) => VERB_CATEGORY.has(token) || GENERIC_VERBS.has(token));
  if (first < 0 || first >= last || !NOUN_VERBS.has(tokens[first]!) || tokens.slice(first + 1, last).some((token) => (VERB_CATEGORY.has(token) || GENERIC_VERBS.has(token)) && !NOUN_VERBS.has(token))) return undefined;
  const action = refineVerb(verb, VERB_CATEGORY.get(verb)!, [], tokens);
  const homograph = refineVerb(tokens[first]!, VERB_CATEGORY.get(tokens[first]!)!, tokens.slice(first + 1), tokens);
  if (action.category !== 'Read' && LEVEL[action.category] <= LEVEL[homograph.category]) return undefined;
  const detail = action.detail === `verb "${verb}"` ? `verb "${verb}" ends the name ("${tokens[first]}" before it names the object)` : `${action.detail} ("${verb}" ends the name)`;
  return { category: action.category, detail };
}

/** The action a name or title states, or `generic` for "manage"-like names that need more. */
function actionOfTokens(tokens: readonly string[]): Action | 'generic' | undefined {
  let prefix: string | undefined;
  // `can_delete_user`, `isDomainAvailable`: a question, answered by reading.
  // `domain-canGenerateTraefikMeDomains`: the same after a resource prefix that is no verb.
  const question = QUESTION_WORDS.has(tokens[0] ?? '') ? 0 : QUESTION_WORDS.has(tokens[1] ?? '') && !VERB_CATEGORY.has(tokens[0]!) && !GENERIC_VERBS.has(tokens[0]!) ? 1 : -1;
  if (question >= 0 && tokens.length > question + 1) return { category: 'Read', detail: `"${tokens[question]} …", a yes/no question` };
  const trailing = trailingVerb(tokens);
  if (trailing) return trailing;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (GENERIC_VERBS.has(token)) return 'generic';
    // Round 10: "pull request" is a thing (`repo_pull_request`), not a pull.
    if (token === 'pull' && (tokens[i + 1] === 'request' || tokens[i + 1] === 'requests')) continue;
    const category = VERB_CATEGORY.get(token);
    if (!category) continue;
    // `domain-byComposeId`, `tasks_by_build_id`: a word after "by" names the key of a lookup, not an action.
    if (tokens[i - 1] === 'by') continue;
    const next = tokens[i + 1];
    // `order_history`, `charge_details`: a money verb followed by a reading noun is a noun (the order's history).
    if (category === 'Financial' && next !== undefined && READ_NOUNS.has(next)) continue;
    if (HTTP_METHOD_VERBS.has(token) && next !== undefined && VERB_CATEGORY.has(next)) continue;
    // `kubectl_get`, `bash_read_file`, `bash_info`: the tool's name is a prefix when another verb or a read noun follows.
    if (TOOL_PREFIX_NOUNS.has(token)) {
      const rest = tokens.slice(i + 1);
      if (rest.some((later) => VERB_CATEGORY.has(later) && !TOOL_PREFIX_NOUNS.has(later)) || (rest.length > 0 && READ_NOUNS.has(rest[rest.length - 1]!))) {
        prefix ??= token;
        continue;
      }
      return { category: 'Execute', detail: `tool "${token}"` };
    }
    const action = refineVerb(token, category, tokens.slice(i + 1), tokens);
    // Round 9: `find_and_replace`, `get_and_delete`: two verbs joined by "and", the riskier one is what the call can do.
    const and = tokens.indexOf('and', i + 1);
    const second = and > i ? actionOfTokens(tokens.slice(and + 1)) : undefined;
    if (second && second !== 'generic' && LEVEL[second.category] > LEVEL[action.category]) return { ...second, detail: `${second.detail} (after "${token} and")` };
    return prefix ? { ...action, detail: `${action.detail} (after the prefix "${prefix}")` } : action;
  }
  const last = tokens[tokens.length - 1];
  if (last !== undefined && READ_NOUNS.has(last)) return { category: 'Read', detail: `read noun "${last}"` };
  const code = tokens.find((token, i) => EXECUTE_NOUNS.has(token) && !(token === 'sql' && SQL_PRODUCT_PREFIXES.has(tokens[i - 1] ?? '')) && !(token === 'code' && CODE_QUALIFIERS.has(tokens[i - 1] ?? '')) && !['process', 'job', 'function', 'action', 'task', 'test', 'tests', 'query', 'build', 'container', 'pod', 'package', 'packages', 'dependencies', 'workflow', 'workflows', 'pipeline', 'pipelines'].includes(token));
  if (code) return { category: 'Execute', detail: `code noun "${code}"` };
  return undefined;
}

function firstSentence(description: string): string {
  const text = description.trim().split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ');
  return /^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
}

/** The first sentence, and the second when the first is only a heading ("Create a split\n\nCreate a revenue split …"). */
function openingSentences(description: string): string {
  const paragraphs = description.trim().split(/\n\s*\n/);
  const first = leadingSentence(description);
  if (paragraphs.length > 1 && !/[.!?]$/.test(paragraphs[0]!.trim()) && paragraphs[0]!.length < 60) return `${first} ${firstSentence(paragraphs[1]!)}`;
  return first;
}

/** Round 12: the first `count` sentences, for what a description says right after its lead ("… This is a soft delete"). */
function firstSentences(description: string, count: number): string {
  return description.trim().split(/(?<=[.!?])\s+/).slice(0, count).join(' ');
}

function leadingSentence(description: string): string {
  return firstSentence(description).replace(DESCRIPTION_PREFIX, '');
}

/** The riskiest destroying or code-running verb of a slash-joined list in the opening sentences ("add/drop/modify/rename columns"). */
function slashedAction(text: string): Action | undefined {
  let best: Action | undefined;
  for (const match of text.toLowerCase().matchAll(/\b[a-z]+(?:\/[a-z]+)+\b((?:\s+[a-z]+){0,4})/g)) {
    const verbs = match[0].split(/\s+/)[0]!.split('/');
    const rest = (match[1] ?? '').trim().split(/\s+/).filter((word) => word.length > 0);
    for (const word of verbs) {
      const found = verbCategory(word);
      // Round 11: "add/remove issues" edits a membership; nothing is deleted.
      if (!found || (found.verb === 'remove' && verbs.includes('add'))) continue;
      const action = refineVerb(found.verb, found.category, rest, [...verbs, ...rest], true);
      // Only destruction and code: "visibility/order", "debit/credit" name things more often than money actions.
      if (action.category !== 'Destructive' && action.category !== 'Execute') continue;
      if (!best || RANK[action.category] > RANK[best.category]) best = { category: action.category, detail: `"${match[0].split(/\s+/)[0]}" (${action.detail})` };
    }
  }
  return best;
}

/** The description's action: its leading verb, or the riskiest of the operations it lists. */
function descriptionAction(description: string, ignored: ReadonlySet<string> = NOTHING): (Action & { listed?: string[] }) | undefined {
  const original = firstSentence(description);
  const sentence = leadingSentence(description);
  const words = sentence.split(/[^A-Za-z]+/).filter((word) => word.length > 0).map((word) => word.toLowerCase());
  let lead = words[0];
  let offset = 0;
  // "Get or update the scale", "Create or update a resource": the riskier of the two.
  if (lead === undefined) return undefined;
  const enumerates = GENERIC_VERBS.has(lead) || /^[A-Za-z]+, [A-Za-z]+/.test(sentence);
  if (enumerates) {
    const listed: Array<{ verb: string; category: Category }> = [];
    const matches = [...sentence.matchAll(/(?:^|[:,(/]|\b(?:or|and)\b)\s*(?:(?:or|and)\s+)?([A-Za-z]+)/g)];
    // Round 12: "Adds, removes, or replaces tags on multiple assets": verbs listed bare share the object after the last one.
    const lastVerb = matches.findLast((match) => verbCategory(match[1]!.toLowerCase()) !== undefined);
    const shared = lastVerb ? sentence.slice(lastVerb.index! + lastVerb[0].length).split(/[,;:.]/)[0]!.toLowerCase().split(/[^a-z]+/).filter((word) => word.length > 0) : [];
    for (const match of matches) {
      let found = verbCategory(match[1]!.toLowerCase());
      // Round 11: "subscribe to project events" is no purchase; "add/remove issues" edits a membership.
      const own = sentence.slice(match.index! + match[0].length).split(/[,;:.]/)[0]!.toLowerCase().split(/[^a-z]+/).filter((word) => word.length > 0);
      const after = own.every((word) => word === 'or' || word === 'and' || VERB_CATEGORY.has(word)) ? shared : own;
      // A listed verb refined by what follows it may only come down ("delete a branch's protection rules" unprotects).
      const refined = found ? refineVerb(found.verb, found.category, after, after, true).category : undefined;
      if (found && refined && LEVEL[refined] < LEVEL[found.category]) found = { verb: found.verb, category: refined };
      if (found?.verb === 'remove' && /\badd\s*(?:\/|or\b|and\b)\s*$/i.test(sentence.slice(0, match.index! + match[0].length - match[1]!.length))) found = { verb: found.verb, category: 'Write' };
      if (found && !listed.some((item) => item.verb === found.verb)) listed.push(found);
    }
    if (listed.length === 0) return undefined;
    const riskiest = listed.reduce((a, b) => (RANK[b.category] > RANK[a.category] ? b : a));
    return { category: riskiest.category, detail: `lists operations ${listed.map((item) => item.verb).join(', ')}`, listed: listed.map((item) => item.verb) };
  }
  let found = verbCategory(lead);
  if (found && words[1] === 'or') {
    const other = verbCategory(words[2] ?? '');
    if (other && RANK[other.category] > RANK[found.category]) {
      found = other;
      lead = other.verb;
      offset = 2;
    }
  }
  if (!found) return undefined;
  return { ...refineVerb(found.verb, found.category, words.slice(offset + 1, offset + 8), words.slice(0, 10), true, ignored), detail: `leads with ${quote(original)}` };
}

/** Words before "to" that make the infinitive after it the router's own use ("need to list", "use this tool to create"). */
const INFINITIVE_OF_USE: ReadonlySet<string> = new Set(['tool', 'tools', 'command', 'commands', 'need', 'needs', 'want', 'wants', 'used', 'use', 'able', 'how']);

/** Infrastructure a router's commands create that a provider bills for (machines, storage, databases, clusters). */
const PROVISIONED: ReadonlySet<string> = new Set([...BILLED_UNITS, 'cluster', 'clusters', 'database', 'databases', 'disk', 'disks', 'volume', 'volumes', 'storage', 'warehouse', 'warehouses', 'bucket', 'buckets', 'pool', 'pools', 'nodepool']);

/** Round 11: the riskiest operation a command router's description says its commands do ("creating, listing and deleting …"). */
function routerAction(description: string): Action | undefined {
  let best: Action | undefined;
  for (const clause of routerText(description).toLowerCase().split(/[.!?;:–—]\s+|\s+-\s+/)) {
    const tokens = [...clause.matchAll(/([,/]|\b(?:or|and)\b)?\s*([\p{L}]+)/gu)].map((match) => ({ joined: match[1] !== undefined, word: match[2]! }));
    const words = tokens.map((token) => token.word);
    let previousCounted = false;
    tokens.forEach(({ joined, word }, i) => {
      // Only operations: a gerund ("Commands for creating …"), a clause's first verb ("Manage and query …"), an infinitive
      // ("to list, query, create …") and verbs joined to a counted one; a plural noun ("configuration stores", "File
      // Shares") and a gerund of purpose ("guidance for building apps", "when working") are not.
      const stem = gerundStems(word).find((candidate) => VERB_CATEGORY.has(candidate) || GENERIC_VERBS.has(candidate));
      // An infinitive of what the tool is used for ("Use this tool when you need to create …"), not of a purpose ("call
      // 'pricing get' for each resource to build a cost estimate").
      const infinitive = words[i - 1] === 'to' && INFINITIVE_OF_USE.has(words[i - 2] ?? '');
      const position = i === 0 || infinitive || (joined && previousCounted);
      const found = stem !== undefined ? (operationGerund(words, i) ? { verb: stem, category: VERB_CATEGORY.get(stem) } : undefined) : position ? (GENERIC_VERBS.has(word) ? { verb: word, category: undefined } : verbCategory(word)) : undefined;
      previousCounted = found !== undefined;
      if (!found?.category) return;
      let action = refineVerb(found.verb, found.category, words.slice(i + 1, i + 6), words.slice(Math.max(0, i - 3), i + 6), true);
      // Commands that create machines, storage or databases provision billed infrastructure ("create, or monitor VMs").
      const provisioned = CREATING_VERBS.has(found.verb) ? words.slice(i + 1, i + 6).find((next) => PROVISIONED.has(next)) : undefined;
      if (provisioned && LEVEL[action.category] < LEVEL.Financial) action = { category: 'Financial', detail: `"${found.verb}" of "${provisioned}", billed infrastructure` };
      if (!best || RANK[action.category] > RANK[best.category]) best = { category: action.category, detail: `"${word}" (${action.detail})` };
    });
  }
  return best;
}

interface SchemaProperty {
  type?: unknown;
  description?: unknown;
  enum?: unknown;
  items?: { enum?: unknown };
  properties?: Record<string, SchemaProperty>;
}

/**
 * The schema with local references (`{"$ref": "#/$defs/CreatePodRequest"}`, `#/definitions/…`) replaced by
 * what they point to, so parameters generated from an OpenAPI document read like inline ones. A reference
 * inside itself (a tree of nodes) and one outside the document stay as they are; depth is bounded.
 */
function inlineReferences(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object' || !/"\$ref":"#\//.test(JSON.stringify(schema))) return schema;
  const root = schema as Record<string, unknown>;
  const target = (ref: string): unknown => {
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) {
      if (!node || typeof node !== 'object') return undefined;
      node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return node;
  };
  const inline = (node: unknown, open: readonly string[]): unknown => {
    if (Array.isArray(node)) return node.map((item) => inline(item, open));
    if (!node || typeof node !== 'object' || open.length > 8) return node;
    const { $ref: ref, ...rest } = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) out[key] = key === '$defs' || key === 'definitions' ? value : inline(value, open);
    if (typeof ref !== 'string' || !ref.startsWith('#/') || open.includes(ref)) return ref === undefined ? out : { ...out, $ref: ref };
    const resolved = inline(target(ref), [...open, ref]);
    return resolved && typeof resolved === 'object' && !Array.isArray(resolved) ? { ...(resolved as Record<string, unknown>), ...out } : out;
  };
  return inline(root, []);
}

/** Top-level parameters and, for wrappers like `{params: {…}}`, their members: what a call sets directly. */
function shallowParameters(schema: unknown): Array<[string, SchemaProperty]> {
  const out: Array<[string, SchemaProperty]> = [];
  for (const [name, property] of members(schema)) {
    out.push([name, property]);
    for (const inner of members(property)) out.push(inner);
  }
  return out;
}

/** An object schema's own properties and those of its `allOf` parts (a request composed of a base and its own fields). */
function members(schema: unknown, depth = 0): Array<[string, SchemaProperty]> {
  if (!schema || typeof schema !== 'object' || depth > 3) return [];
  const node = schema as SchemaProperty & { allOf?: unknown };
  const out: Array<[string, SchemaProperty]> = [];
  if (node.properties && typeof node.properties === 'object') {
    for (const [name, property] of Object.entries(node.properties)) if (property && typeof property === 'object') out.push([name, property]);
  }
  // A base composed of other bases (`allOf: [ContainerConfig, {…}]`, ContainerConfig itself `allOf: […]`).
  if (Array.isArray(node.allOf)) for (const part of node.allOf) out.push(...members(part, depth + 1));
  return out;
}

/**
 * Every parameter, also inside wrappers (`{params: {…}}`) and variants (`anyOf: [{operation: "get-user"},
 * {operation: "deploy-site", …}]`), to a depth of four. Variants' `const` values are gathered into an enum,
 * so an operation chosen by variant counts like an action enum.
 */
function parameters(schema: unknown): Array<[string, SchemaProperty]> {
  const out: Array<[string, SchemaProperty]> = [];
  const consts = new Map<string, unknown[]>();
  const walk = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 4) return;
    const object = node as SchemaProperty & { anyOf?: unknown; oneOf?: unknown; allOf?: unknown };
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) if (Array.isArray(object[key])) for (const variant of object[key] as unknown[]) walk(variant, depth + 1);
    // Arrays of objects (`variants: [{price, sku}]`): their members are set by the call too.
    if (object.items && typeof object.items === 'object' && !Array.isArray(object.items)) walk(object.items, depth + 1);
    if (!object.properties || typeof object.properties !== 'object') return;
    for (const [name, property] of Object.entries(object.properties)) {
      if (!property || typeof property !== 'object') continue;
      const value = (property as { const?: unknown }).const;
      if (value !== undefined) consts.set(name, [...(consts.get(name) ?? []), value]);
      else out.push([name, property]);
      walk(property, depth + 1);
    }
  };
  walk(schema, 0);
  for (const [name, values] of consts) out.push([name, { type: 'string', enum: values }]);
  return out;
}

function isStringy(property: SchemaProperty): boolean {
  const type = property.type;
  return type === undefined || type === 'string' || (Array.isArray(type) && type.includes('string'));
}

function isBoolean(property: SchemaProperty): boolean {
  return property.type === 'boolean' || (Array.isArray(property.type) && property.type.includes('boolean'));
}

function annotationsOf(tool: ToolDefinition): Record<string, unknown> | undefined {
  const annotations = tool.annotations;
  return annotations && typeof annotations === 'object' && !Array.isArray(annotations) ? (annotations as Record<string, unknown>) : undefined;
}

function round(value: number): number {
  return Math.round(Math.min(0.99, Math.max(0.1, value)) * 100) / 100;
}

const normalized = (name: string) => name.toLowerCase().replace(/[^a-z0-9_]/g, '');

/** A parameter called `script` that holds the script's name or ID, not its source. */
function namesSomething(property: SchemaProperty): boolean {
  const description = typeof property.description === 'string' ? property.description : '';
  return /\b(?:name|id|identifier)\b/i.test(description) && !/\b(?:content|contents|source|body|code to|text of)\b/i.test(description);
}

/**
 * A `code` that names something rather than being code to run: "The link code", "ISO country code", or a `code` of a tool
 * about an invitation link, a voucher or a region. A description that says code, source, a script or a language keeps it code.
 */
function identifyingCode(name: string, property: SchemaProperty, nameTokens: readonly string[]): boolean {
  if (normalized(name) !== 'code') return false;
  const description = typeof property.description === 'string' ? property.description : '';
  if (/\b(?:source|script|program|snippet|python|javascript|typescript|js|shell|bash|sql|expression|function|statements?|lines?|to (?:run|execute|evaluate))\b|実行|执行/i.test(description)) return false;
  return IDENTIFYING_CODE.test(description) || nameTokens.some((token) => CODE_NAMED_THINGS.has(token));
}
const IDENTIFYING_CODE = /\b(?:link|invite|invitation|promo(?:tion(?:al)?)?|discount|coupon|voucher|gift|referral|country|currency|language|locale|region|postal|zip|area|verification|authori[sz]ation|auth|otp|confirmation|access|redeem|tracking|product|item|status|error|reason|short|security|card)\s+code\b|\b(?:cvv|cvc|cvv2)\b/i;
/** What a `code` identifies on a tool about it (`update_room_link(code)`, `redeem_voucher(code)`). */
const CODE_NAMED_THINGS: ReadonlySet<string> = new Set([
  'link', 'links', 'invite', 'invites', 'invitation', 'invitations', 'voucher', 'vouchers', 'coupon', 'coupons', 'promo', 'promos',
  'promotion', 'discount', 'gift', 'referral', 'country', 'countries', 'region', 'regions', 'currency', 'locale', 'otp', 'verification',
]);

/**
 * The riskiest value of an action/operation enum (`{"action": "create" | "list" | "remove"}`). A bare removing verb acts
 * on what the tool's name names: "remove" on `manage_item_link` removes a link (Write), on `manage_files` files.
 */
function enumSignal(params: ReadonlyArray<[string, SchemaProperty]>, nameObject: readonly string[] = []): Signal | undefined {
  let best: { verb: string; category: Category; parameter: string } | undefined;
  for (const [name, property] of params) {
    if (!ACTION_PARAMETERS.test(name)) continue;
    const values = Array.isArray(property.enum) ? property.enum : Array.isArray(property.items?.enum) ? property.items!.enum : undefined;
    if (!values) continue;
    // Round 10: JSON Patch operations (`op`: add | replace | remove) edit fields of a record; they delete no record.
    if (/^op$/i.test(name) && values.every((value) => typeof value === 'string' && JSON_PATCH_OPS.test(value))) continue;
    for (const value of values) {
      if (typeof value !== 'string') continue;
      const tokens = tokenize(value);
      // Only a removing verb takes the name's object: it can then only be lowered (a link removed), never raised.
      // Round 12: so does one with only a quantifier (`remove_all` of `manage_asset_tags`: every tag, still a tag).
      const bare = tokens.length === 1 || (tokens.length === 2 && QUANTIFIERS.has(tokens[1]!));
      let action = actionOfTokens(bare && VERB_CATEGORY.get(tokens[0]!) === 'Destructive' ? [...tokens, ...nameObject] : tokens);
      if (!action || action === 'generic') continue;
      // Round 11: `remove_issues` next to `add_issues` on a sprint takes out what was added to it (a membership); a bare
      // `remove` (or one of the tool's own object) removes the thing itself.
      const paired = tokens[0] === 'remove' && tokens.length > 1 && !tokens.slice(1).some((token) => nameObject.includes(token) || nameObject.includes(`${token}s`) || nameObject.includes(token.replace(/s$/, ''))) && values.some((other) => typeof other === 'string' && tokenize(other).join(' ') === ['add', ...tokens.slice(1)].join(' '));
      if (paired && action.category === 'Destructive') action = { category: 'Write', detail: `"${value}" paired with an add` };
      if (!best || RANK[action.category] > RANK[best.category]) best = { verb: value, category: action.category, parameter: name };
    }
  }
  if (!best) return undefined;
  return { source: 'enum', category: best.category, strength: 0.8, text: `parameter "${best.parameter}" can be "${best.verb}" → ${best.category}`, why: `its "${best.parameter}" parameter can be "${best.verb}"` };
}

const JSON_PATCH_OPS = /^(?:add|remove|replace|move|copy|test)$/i;
/** Round 12: words that say how many, not what (`remove_all`). */
const QUANTIFIERS: ReadonlySet<string> = new Set(['all', 'every', 'each', 'many', 'multiple', 'bulk']);

/** Round 10: a parameter that picks the record type of a generic record tool (`doctype`, `record_type`). */
const RECORD_TYPE_PARAMETER = /^(?:doctype|doc_?type|record_?type|object_?type|entity_?type|resource_?type)$/i;
/** Round 10: record types that state money owed or paid, named as examples in a description. */
const MONEY_DOCUMENTS = /\b(?:(?:sales|purchase|customer|supplier) orders?|invoices?|payment entr(?:y|ies)|payments?|journal entr(?:y|ies))\b/i;

/** Round 11: an action enum whose values are operations, a reading one among them (`get_logs`, `list`), not kinds of a filter. */
function listsOperations(params: ReadonlyArray<[string, SchemaProperty]>): boolean {
  return params.some(([name, property]) => ACTION_PARAMETERS.test(name) && Array.isArray(property.enum) && property.enum.some((value) => typeof value === 'string' && VERB_CATEGORY.get(tokenize(value)[0] ?? '') === 'Read') && property.enum.some((value) => typeof value === 'string' && VERB_CATEGORY.has(tokenize(value)[0] ?? '') && VERB_CATEGORY.get(tokenize(value)[0] ?? '') !== 'Read'));
}

/** A boolean flag whose setting destroys something (`dropTarget`, `prune`, "overwrites remote history"). */
function destructiveFlag(params: ReadonlyArray<[string, SchemaProperty]>): Signal | undefined {
  for (const [name, property] of params) {
    if (!isBoolean(property)) continue;
    const description = typeof property.description === 'string' ? property.description : '';
    // Round 10: a drop-off (`pickupDropOff`) is where parcels are left, not a drop.
    const words = tokenize(name).join(' ').replace(/\bdrop off\b/g, 'dropoff');
    const text = `${words} ${description}`;
    if (!(DESTRUCTIVE_FLAG.test(words) || DESTRUCTIVE_FLAG.test(name) || DESTRUCTIVE_FLAG.test(description))) continue;
    // Round 11: the merged branch deleted when a merge or change request ends (`deleteSourceBranch`,
    // `autoDeleteBranchWhenEnd`): its commits are in the target branch.
    if (/\bbranch\b/.test(words) && /\b(?:source|merged?|when|end|after|finish(?:ed)?)\b/.test(words)) continue;
    if (FILTER_FLAG.test(text) || /\bdry[- ]?run\b/i.test(text)) continue;
    // Round 12: discarding a name (`discard_original_filename`) changes what a thing is called, not what it holds.
    if (/\b(?:name|filename|prefix|suffix|extension|title)$/.test(words)) continue;
    return { source: 'parameter', category: 'Destructive', strength: 0.75, text: `flag "${name}"${description ? ` (${quote(description, 60)})` : ''} → Destructive`, why: `its "${name}" flag can destroy data` };
  }
  return undefined;
}

/** An enum of engines or kinds (`MYSQL | FLEXDB`, `postgres | mysql`), not of sizes (`t3.micro`, `small`, `gpu-large`). */
function choosesKind(property: SchemaProperty): boolean {
  const values = Array.isArray(property.enum) ? property.enum.filter((value): value is string => typeof value === 'string') : [];
  return values.length > 0 && !values.some((value) => SIZE_VALUE.test(value));
}
const SIZE_VALUE = /\d|micro|nano|small|medium|large|xlarge|tiny|huge|standard|basic|premium|pro\b|gpu|cpu|mem|high|low/i;

/** Numeric parameters that set how much may be spent (`maxMonthlySpend`, `daily_budget`, `spend_cap`). */
function spendParameter(params: ReadonlyArray<[string, SchemaProperty]>): string | undefined {
  return params.find(([name, property]) => {
    const tokens = tokenize(name);
    if (tokens.some((token) => NOT_MONEY_BUDGETS.has(token))) return false;
    if (isNumeric(property) && tokens.some((token) => SPEND_WORDS.has(token) || BID_WORDS.has(token))) return true;
    // Round 10: an ad bid or budget as a money object (`defaultBid: {currency, value}`), a string amount or a share of the
    // sale (`bidPercentage`): named with nothing but spend words (`budgetOwner` names a person).
    const spendOnly = tokens.some((token) => SPEND_WORDS.has(token) || BID_WORDS.has(token)) && tokens.every((token) => SPEND_WORDS.has(token) || BID_WORDS.has(token) || SPEND_QUALIFIERS.has(token));
    return spendOnly && ((isStringy(property) && !Array.isArray(property.enum)) || property.type === 'object');
  })?.[0];
}
/** Round 10: what an ad bid is named with. */
const BID_WORDS: ReadonlySet<string> = new Set(['bid', 'bids', 'cpc', 'cpm']);
const SPEND_QUALIFIERS: ReadonlySet<string> = new Set(['daily', 'monthly', 'weekly', 'lifetime', 'total', 'default', 'max', 'maximum', 'min', 'minimum', 'percentage', 'percent', 'amount', 'value', 'limit', 'cap']);
const SPEND_WORDS: ReadonlySet<string> = new Set(['spend', 'spending', 'budget', 'budgets']);
/** Budgets of something other than money: an error budget, a token or time budget. */
const NOT_MONEY_BUDGETS: ReadonlySet<string> = new Set(['error', 'errors', 'token', 'tokens', 'time', 'ms', 'seconds', 'minutes', 'retry', 'retries', 'memory', 'cpu', 'latency', 'step', 'steps', 'page', 'pages', 'request', 'requests', 'context']);

/** A parameter that confirms the caller accepted a cost (`confirm_cost_id`, `acknowledge_charges`). */
function costConfirmation(params: ReadonlyArray<[string, SchemaProperty]>): string | undefined {
  return params.find(([name]) => {
    const tokens = tokenize(name);
    return tokens.some((token) => COST_WORDS.has(token)) && tokens.some((token) => CONFIRM_WORDS.has(token));
  })?.[0];
}
const COST_WORDS: ReadonlySet<string> = new Set(['cost', 'costs', 'charge', 'charges', 'price', 'pricing', 'fee', 'fees', 'billing']);
const CONFIRM_WORDS: ReadonlySet<string> = new Set(['confirm', 'confirmed', 'confirmation', 'acknowledge', 'acknowledged', 'ack', 'accept', 'accepted', 'approve', 'approved']);

/** "Merges migrations", "run any newer migrations", "Applies pending migrations": a changing tool that runs migrations. */
const RUNS_MIGRATIONS = /\b(?:runs?|running|appl(?:y|ies|ying)|merg(?:e|es|ing)|execut(?:e|es|ing))\b (?:[\w-]+ ){0,4}?migrations?\b/i;
/** SQL statements that change data or schema, named in a description (`INSERT/UPDATE/DELETE or DDL`). */
const CHANGING_STATEMENTS = /\b(?:INSERT|UPDATE|DELETE|UPSERT|ALTER|TRUNCATE|DDL|DML)\b|\b(?:insert|update|delete)\/(?:insert|update|delete|select)\b|\b(?:select|insert|update)\/(?:insert|update|delete)\b/;
/** A parameter that holds a statement to run (`sql`, `query`, `statement`). */
const STATEMENT_PARAMETER = /^(?:sql|query|statement|statements|stmt|sql_?query|sql_?statement)$/i;
/** A free action or operation name and its parameters: a call of any action of an API (`callCloudApi(service, action, params)`). */
const FREE_OPERATION = /^(?:action|operation|op|api_?action|method_?name|command_?name)$/i;
const OPERATION_ARGUMENTS = /^(?:params|parameters|input|body|payload|args|arguments|request|data)$/i;
/** A parameter naming the contract function to call (`functionName`, `method`). */
const CONTRACT_FUNCTION = /^(?:function_?name|function|method|method_?name)$/i;
/** Verbs that create something new, and verbs that copy or move something into a target (for review marks). */
const CREATING_VERBS: ReadonlySet<string> = new Set(['create', 'new', 'add', 'provision', 'launch']);
const COPYING_VERBS: ReadonlySet<string> = new Set(['clone', 'copy', 'move', 'duplicate']);
/** Verbs that stop or restart what a subscription delivers. */
const PAUSING_VERBS: ReadonlySet<string> = new Set(['skip', 'unskip', 'pause', 'resume', 'unpause']);
/** What a subscription delivers and charges for, one period at a time. */
const DELIVERIES: ReadonlySet<string> = new Set(['delivery', 'deliveries', 'shipment', 'shipments', 'box', 'boxes']);
/** Verbs that start work (`create_prediction`, `new_training`, `submit_run`). */
const STARTS_WORK: ReadonlySet<string> = new Set(['create', 'new', 'start', 'submit', 'launch']);
/** Work that runs a model's or an agent's code on an input. */
const RUNS_ON_INPUT: ReadonlySet<string> = new Set(['prediction', 'predictions', 'training', 'trainings', 'finetune', 'finetunes', 'finetuning', 'inference', 'inferences', 'run', 'runs']);
/** The arbitrary input such work runs on. */
const WORK_INPUT = /^(?:input|inputs|payload|args|arguments)$/i;
/** The riskiest destroying operation a free operation parameter's description lists ("ADD COLUMN, DROP COLUMN, ALTER COLUMN"). */
function listedDestruction(description: string): string | undefined {
  const words = description.toLowerCase().split(/[^a-z]+/).filter((word) => word.length > 0);
  const verbs = words.filter((word) => verbCategory(word) !== undefined);
  if (verbs.length < 2) return undefined;
  for (let i = 0; i < words.length; i++) {
    const found = verbCategory(words[i]!);
    if (!found || found.category !== 'Destructive') continue;
    const action = refineVerb(found.verb, found.category, words.slice(i + 1, i + 3), words, true);
    if (action.category === 'Destructive') return words.slice(i, i + 2).join(' ');
  }
  return undefined;
}
/** "dry-run", "dry run": computes what would change and changes nothing. */
const DRY_RUN = /\bdry[- ]?run\b/i;

// Round 8 kinds (docs/dev/catalog-classifier.md, section 19).
/** "Removes a domain from a project": what is removed and what it is taken out of. */
/** Round 11: "… without deleting either work item": a link between records removed. */
const WITHOUT_DELETING = /\bwithout deleting (?:either|both|the|any|them)\b/i;
const REMOVES_FROM = /^removes? (?:an? |the |one )?((?:[\w-]+ ){1,3})from (?:an? |the |this |its |their )?(?:[\w-]+ )?([\w-]+)/i;
/** Things that hold data of their own: taking one out of where it lives deletes it ("Removes a MySQL database from the platform"). */
const HOLDS_DATA: ReadonlySet<string> = new Set([...DATA_STORES, 'job', 'jobs', 'file', 'files', 'record', 'records', 'row', 'rows', 'data', 'message', 'messages', 'object', 'objects', 'document', 'documents', 'page', 'pages', 'table', 'tables', 'secret', 'secrets', 'key', 'keys', 'snapshot', 'snapshots', 'backup', 'backups', 'image', 'images', 'bucket', 'buckets', 'project', 'projects', 'repository', 'repositories', 'repo', 'branch', 'branches', 'node', 'nodes', 'app', 'apps', 'application', 'applications', 'service', 'services', 'instance', 'instances', 'version', 'versions', 'entry', 'entries']);
/** What a provider verifies ownership of before using it (a sending domain, a sender identity). */
const OWNED_IDENTITIES: ReadonlySet<string> = new Set(['domain', 'domains', 'sender', 'senders', 'identity', 'identities']);
/** The call itself is paid for: "by paying via …", "Requires a USDC payment", "is paid automatically from the wallet". */
const PAID_CALL = /\bby paying\b|\bpa(?:ys?|id|ying) (?:automatically )?(?:via|with|from|out of|using)\b|\brequires? (?:an? )?(?:[\w-]+ ){0,2}payment\b|\bpayment (?:is )?(?:required|taken|charged|deducted)\b|\b(?:is|are|will be|gets?) (?:automatically )?paid\b/i;
/** A `method` that names an operation of an API or a service (`make_api_request(service, method, request)`), not an HTTP verb. */
const OPERATION_METHOD = /\b(?:api|service|sdk|client|rpc|operation)\b/i;
/** What a schema-changing statement creates or alters (`create_table(query)`, `modify_columns(sql)`). */
const SCHEMA_OBJECTS: ReadonlySet<string> = new Set(['table', 'tables', 'column', 'columns', 'index', 'indexes', 'indices', 'schema', 'schemas', 'trigger', 'triggers', 'constraint', 'constraints', 'sequence']);
/** The last word of a parameter that holds a command run later (`buildCommand`, `start_command`, `preDeployScript`). */
const LATER_COMMAND = new Set(['command', 'cmd', 'script']);
/** Words that make such a parameter name or describe a command rather than hold one (`commandId`, `scriptName`). */
const NAMES_A_COMMAND = new Set(['id', 'ids', 'name', 'names', 'description', 'key', 'alias', 'label', 'title', 'type', 'slash', 'shortcut']);
/** Signals that end a process. */
const ENDING_SIGNAL = /^(?:sig)?(?:kill|term|9|15)$/i;
const ENDING_SIGNAL_PROSE = /\bSIG(?:KILL|TERM)\b|\b(?:KILL|TERM)\b/;
/** A whole configuration or rule set replaced ("Create or replace the firewall configuration", "Replaces the access rules"). */
const REPLACES_CONFIGURATION = /\breplac(?:e|es|ing) (?:the |a |an |all |its |their )?(?:[\w-]+ ){0,2}?(?:configuration|config|rules|rule ?set|ruleset|settings|policies|acl|acls|allow ?list|deny ?list|block ?list)\b/i;
/** What a node is part of when it is no machine: a scene, a graph, a document, a page, a workflow. */
const NODE_CONTAINERS: ReadonlySet<string> = new Set(['scene', 'scenes', 'tree', 'graph', 'graphs', 'document', 'documents', 'dom', 'page', 'workflow', 'workflows', 'diagram', 'canvas', 'xml', 'html', 'flow', 'mindmap', 'knowledge']);

function isNumeric(property: SchemaProperty): boolean {
  const type = property.type;
  return type === 'integer' || type === 'number' || (Array.isArray(type) && (type.includes('integer') || type.includes('number')));
}

/** Words a count of billed units is named with (`numReplicas`, `min_instances`, `desiredNodeCount`); `cpuThrottlingRate` is no count. */
const COUNT_WORDS: ReadonlySet<string> = new Set(['count', 'number', 'num', 'min', 'max', 'minimum', 'maximum', 'desired', 'target', 'initial', 'total', 'of', 'new']);
const STORAGE_UNITS = /\b(?:gb|gib|gigabytes?|tb|tib|terabytes?)\b/i;
/** "the number of nodes", "instance count", "compute size", "machine type": the capacity of billed infrastructure. */
const CAPACITY_PHRASE = /\b(?:number|count) of (?:[\w-]+ ){0,2}(?:nodes|instances|replicas|machines|vms|shards|servers|vcpus|cpus)\b|\b(?:node|instance|replica|machine|vm|shard|compute) (?:count|size|type|class|tier|units?)\b|\bnode pool size\b/i;

/**
 * What sets the capacity of billed infrastructure on a changing tool: a number of billed units
 * (`nodeCount`, `minInstances`), a machine type or compute size, a storage size in GB, a tier or SKU of
 * infrastructure, or the same said by the name or opening sentence ("Change the number of nodes").
 */
function billedCapacity(nameTokens: readonly string[], opening: string, params: ReadonlyArray<[string, SchemaProperty]>): { source: Source; text: string; why: string } | undefined {
  const infrastructure = nameTokens.some((token) => INFRASTRUCTURE_OBJECTS.has(token)) || tokenize(opening).some((token) => INFRASTRUCTURE_OBJECTS.has(token));
  // A capacity object counts like a flat parameter: `workers: {min, max}` is "workers.max", `gpu: {count}` "gpu.count".
  const nested = params.flatMap(([name, property]) => members(property).filter(([, inner]) => isNumeric(inner)).map(([inner, innerProperty]): [string, SchemaProperty] => [`${name}.${inner}`, innerProperty]));
  // Round 8: a node of a scene, a graph or a document (`add_node(nodeType)` "Add a node to a scene") is no machine.
  const nodeOfSomething = [...nameTokens, ...tokenize(opening)].some((token) => NODE_CONTAINERS.has(token));
  for (const [name, property] of [...params, ...nested]) {
    const tokens = tokenize(name);
    const unit = tokens.find((token) => BILLED_UNITS.has(token) && !(nodeOfSomething && (token === 'node' || token === 'nodes')));
    const description = typeof property.description === 'string' ? property.description : '';
    if (unit && isNumeric(property) && tokens.every((token) => BILLED_UNITS.has(token) || COUNT_WORDS.has(token))) return { source: 'parameter', text: `parameter "${name}" sets a number of ${unit}`, why: `its "${name}" parameter sets how many ${unit} run` };
    if (unit && tokens.some((token) => SIZE_WORDS.has(token)) && isStringy(property) && !choosesKind(property)) return { source: 'parameter', text: `parameter "${name}" sets the ${unit}'s size`, why: `its "${name}" parameter sets the ${unit}'s size` };
    if (tokens.includes('compute') && tokens.some((token) => SIZE_WORDS.has(token))) return { source: 'parameter', text: `parameter "${name}" sets the compute size`, why: `its "${name}" parameter sets the compute size` };
    if (isNumeric(property) && (tokens.some((token) => STORAGE_UNITS.test(token)) || (tokens.includes('size') && STORAGE_UNITS.test(description)))) return { source: 'parameter', text: `parameter "${name}" sets a storage size`, why: `its "${name}" parameter sets how much storage is provisioned` };
    if (infrastructure && (tokens.includes('tier') || tokens.includes('sku'))) return { source: 'parameter', text: `parameter "${name}" sets the tier of infrastructure`, why: `its "${name}" parameter sets the tier of what it changes` };
  }
  const phrase = CAPACITY_PHRASE.exec(opening);
  if (phrase) return { source: 'description', text: `description says ${quote(phrase[0])}`, why: `its description says ${quote(phrase[0])}` };
  for (let i = 0; i + 1 < nameTokens.length; i++) {
    if ((BILLED_UNITS.has(nameTokens[i]!) || nameTokens[i] === 'compute') && SIZE_WORDS.has(nameTokens[i + 1]!)) return { source: 'name', text: `name: "${nameTokens[i]} ${nameTokens[i + 1]}"`, why: `its name sets the ${nameTokens[i]} ${nameTokens[i + 1]}` };
  }
  return undefined;
}

/** Verbs that configure something which later sends requests (`create_webhook`, `update_call`), rather than send one now. */
const CONFIGURING_VERBS: ReadonlySet<string> = new Set(['create', 'add', 'new', 'register', 'update', 'set', 'configure', 'edit', 'modify', 'subscribe', 'schedule', 'setup', 'list', 'get']);
const CHANGING_HTTP_METHODS = /^(?:post|put|patch|delete)$/i;

/** A request tool whose `method` is free or can change something, with a free path or URL: arbitrary API requests. */
function arbitraryRequest(nameTokens: readonly string[], params: ReadonlyArray<[string, SchemaProperty]>, freePath: [string, SchemaProperty] | undefined): Signal | undefined {
  if (!freePath || !nameTokens.some((token) => REQUEST_TOKENS.has(token)) || nameTokens.some((token) => CONFIGURING_VERBS.has(token))) return undefined;
  const method = params.find(([name, property]) => HTTP_METHOD_PARAMETER.test(name) && isStringy(property));
  if (!method) return undefined;
  const values = Array.isArray(method[1].enum) ? method[1].enum.filter((value): value is string => typeof value === 'string') : undefined;
  const changing = values === undefined ? 'any' : values.find((value) => CHANGING_HTTP_METHODS.test(value));
  if (changing === undefined) return undefined;
  const what = changing === 'any' ? 'any HTTP method' : `HTTP method "${changing}"`;
  return { source: 'parameter', category: 'Execute', strength: 0.75, text: `parameters "${method[0]}" (${what}) and "${freePath[0]}" (any path or URL) → Execute`, why: `it sends requests with ${what} to any ${freePath[0]}` };
}

/** The description's read-only claim, unless it is denied ("not read-only", "non-read-only"). */
function readOnlyClaim(description: string): RegExpExecArray | null {
  const match = READ_ONLY_PHRASE.exec(description);
  if (!match) return null;
  const before = description.slice(Math.max(0, match.index - 20), match.index);
  return /\b(?:not|non|never|isn't|isnt)[- ](?:\w+ )?$/i.test(before) || /[非不]$/.test(before) ? null : match;
}

/**
 * A query tool: its name, opening sentence or code parameter says query, SQL, a statement or another query
 * language, and none of them names other code ("Run Python in a read-only sandbox" is not one).
 */
function isQueryTool(texts: ReadonlyArray<readonly string[]>): boolean {
  const query = (token: string) => QUERY_LANGUAGES.has(token) || token === 'query' || token === 'queries' || token === 'statement' || token === 'statements';
  return texts.some((tokens) => tokens.some(query)) && !texts.some((tokens) => tokens.some((token) => EXECUTE_NOUNS.has(token) && !query(token) && !NOT_CODE_IN_QUERY_TOOLS.has(token)));
}

/** A parameter that lets the caller switch a read-only tool to writing (`allow_write`, `readOnly: false`, `mode: "read-write"`). */
function writeSwitch(params: ReadonlyArray<[string, SchemaProperty]>): string | undefined {
  for (const [name, property] of params) {
    const tokens = tokenize(name);
    if (isBoolean(property) && (tokens.some((token) => WRITE_SWITCH_WORDS.has(token)) || tokens.join('') === 'readonly')) return `flag "${name}"`;
    const values = Array.isArray(property.enum) ? property.enum : [];
    const writing = values.find((value) => typeof value === 'string' && /^(?:write|read[-_ ]?write|rw|readwrite|unsafe|mutate)$/i.test(value));
    if (writing !== undefined) return `"${name}" can be "${writing as string}"`;
  }
  return undefined;
}

export function classifyTool(tool: ToolDefinition): RuleClassification {
  const conflicts: string[] = [];
  const overruled: string[] = [];
  const reviewReasons: string[] = [];

  // 1: the stated action, from the name, else the title, else the description.
  const nameTokens = tokenize(tool.name);
  const nameAction = actionOfTokens(nameTokens);
  const annotations = annotationsOf(tool);
  const title = tool.title ?? (typeof annotations?.title === 'string' ? annotations.title : undefined);
  const titleAction = title !== undefined ? actionOfTokens(tokenize(title)) : undefined;
  const description = tool.description ?? '';
  // Round 10: money words the name shows to qualify something else (`add_payment_dispute_evidence`, `withdraw_offer`):
  // the description repeating them names no money.
  const qualified = new Set(nameTokens.filter((token, i) => MONEY_NOUNS.has(token) && moneyOnlyQualifies(nameTokens, i)).flatMap((token) => [token, token.replace(/s$/, ''), `${token}s`]));
  if (nameAction && nameAction !== 'generic' && nameAction.detail.startsWith('"withdraw" of a')) qualified.add('withdraw');
  const described = description ? descriptionAction(description, qualified) : undefined;
  const schema = inlineReferences(tool.inputSchema);
  const params = shallowParameters(schema);
  const allParams = parameters(schema);

  const stated: Signal[] = [];
  if (nameAction && nameAction !== 'generic') {
    const byVerb = nameAction.detail.startsWith('verb') || nameAction.detail.startsWith('"');
    stated.push({ source: 'name', category: nameAction.category, strength: byVerb ? 0.9 : 0.75, text: `name: ${nameAction.detail} → ${nameAction.category}`, why: `its name has ${nameAction.detail}` });
  }
  if (titleAction && titleAction !== 'generic') {
    stated.push({ source: 'title', category: titleAction.category, strength: 0.8, text: `title ${quote(title!)}: ${titleAction.detail} → ${titleAction.category}`, why: `its title has ${titleAction.detail}` });
  }
  if (described) {
    stated.push({ source: 'description', category: described.category, strength: described.listed ? 0.7 : 0.6, text: `description ${described.detail} → ${described.category}`, why: `its description ${described.detail}` });
  }

  // Round 11: a command router (`compute(command, parameters, learn)`): its name names a service area and its
  // `command` one of its own sub-commands, hidden from the schema; what its description says the commands do decides.
  const router = routerCommand(description, params);
  if (router) {
    for (const signal of stated) overruled.push(`${signal.text} (a command router: its ${signal.source} names a service area, its description says what its commands do)`);
    stated.length = 0;
    // Commands that change things, hidden from the schema, may as well remove them: the cautious class, as for a "Manage X"
    // tool with a free-text action (round 2). Commands that only read, run code or move money say so.
    const operation = routerAction(description);
    if (operation?.category === 'Write') stated.push({ source: 'description', category: 'Destructive', strength: 0.55, text: `command router whose description names ${operation.detail}, a change among hidden commands → Destructive`, why: `its description says its hidden commands change things (${operation.detail.replace(/ \(.*$/, '')}), and any of them may remove them` });
    else if (operation) stated.push({ source: 'description', category: operation.category, strength: 0.6, text: `command router whose description names ${operation.detail} → ${operation.category}`, why: `its commands include ${operation.detail.replace(/ \(.*$/, '')}, by its description` });
    reviewReasons.push(`a command router: its sub-commands ("${router}") are not in its schema, so only its description says what they do`);
  }
  // Round 8: `removeProjectDomain` "Removes a domain from a project": the description says what the name's "remove"
  // takes the thing out of, a link removed like `remove_x_from_y` — unless it also says it deletes or cleans up.
  const removedFrom = stated[0]?.source === 'name' && stated[0].text === 'name: verb "remove" → Destructive' ? REMOVES_FROM.exec(leadingSentence(description)) : null;
  if (removedFrom && !tokenize(removedFrom[1]!).some((token) => HOLDS_DATA.has(token)) && !WHOLE_PLACES.has(removedFrom[2]!.toLowerCase()) && !/\bdelet|\bdestroy|\bpermanent|\bpurg|\bclean(?:s|ing)? up\b/i.test(description)) {
    overruled.push(`${stated[0]!.text} (its description says ${quote(removedFrom[0])}: a link removed)`);
    stated[0] = { source: 'name', category: 'Write', strength: 0.85, text: `name: verb "remove", and the description says ${quote(removedFrom[0])}: a link removed → Write`, why: `it removes something from a ${removedFrom[2]}, which can be added again` };
  }

  // Round 12: a subscription to change notifications (`create_subscription` "Subscribes a listener application to receive
  // change notifications") is a webhook registered, not a paid plan.
  const subscribes = (signal: Signal): boolean => signal.category === 'Financial' && /on "subscriptions?"|"subscribe/.test(signal.text);
  const notified = stated.some(subscribes) ? NOTIFICATION_SUBSCRIPTION.exec(firstSentences(description, 2)) : null;
  if (notified) {
    for (const [i, signal] of stated.entries()) {
      if (!subscribes(signal)) continue;
      overruled.push(`${signal.text} (its description says ${quote(notified[0])}: a subscription to notifications, not a paid one)`);
      stated[i] = { ...signal, category: 'Write', text: `${signal.text.replace(/ → Financial$/, '')}, and the description says ${quote(notified[0])}: notifications, not a paid plan → Write`, why: 'it subscribes to notifications, which costs nothing' };
    }
  }

  // Round 9: a delete whose description says it moves the thing to the trash ("can be restored") is recoverable.
  const trashed = stated[0]?.source === 'name' && stated[0].text === 'name: verb "delete" → Destructive' ? (MOVES_TO_TRASH.exec(leadingSentence(description)) ?? SOFT_DELETE.exec(firstSentences(description, 2))) : null;
  if (trashed && !/\bpermanent/i.test(description.replace(/\bto permanently \w+/gi, '')) && !parameters(schema).some(([name]) => /permanent|hard|force/i.test(name))) {
    overruled.push(`${stated[0]!.text} (its description says ${quote(trashed[0])}: it can be restored)`);
    stated[0] = { source: 'name', category: 'Write', strength: 0.85, text: `name: verb "delete", and the description says ${quote(trashed[0])}: recoverable → Write`, why: 'it moves something to the trash, from where it can be restored' };
    // Round 12: the description's own "Delete …" is the same recoverable delete.
    stated.splice(0, stated.length, ...stated.filter((signal) => signal.source !== 'description' || signal.category !== 'Destructive'));
  }

  // Round 11: a delete made as a commit (`delete_file(path, branch, commitMessage)`) stays in the repository's history;
  // a delete "without deleting either" record, or one whose description leads with "Remove … from …", removes a link.
  const deletes = stated[0]?.source === 'name' && /^name: verb "(?:delete|remove)" → Destructive$/.test(stated[0].text);
  let settledDeletion = false;
  const commit = deletes ? params.find(([name]) => /^commit_?message$/i.test(name)) : undefined;
  const keepsBoth = deletes ? (WITHOUT_DELETING.exec(description) ?? ORIGINALS_REMAIN.exec(description)) : null;
  // (A name's "remove" with "Remove … from …" is round 8's rule, above.)
  const removesFrom = deletes && stated[0]!.text.includes('"delete"') && !commit && !keepsBoth ? REMOVES_FROM.exec(leadingSentence(description)) : null;
  if (commit) {
    overruled.push(`${stated[0]!.text} (it takes a "${commit[0]}": the delete is a commit)`);
    stated[0] = { source: 'parameter', category: 'Write', strength: 0.85, text: `name: verb "${/verb "(\w+)"/.exec(stated[0]!.text)![1]}" with a "${commit[0]}": a commit, kept in the history → Write`, why: 'it deletes by a commit, which the history keeps' };
    settledDeletion = true;
  } else if (keepsBoth || (removesFrom && !tokenize(removesFrom[1]!).some((token) => HOLDS_DATA.has(token)) && !WHOLE_PLACES.has(removesFrom[2]!.toLowerCase()) && !/\bdelet|\bdestroy|\bpermanent|\bpurg|\bclean(?:s|ing)? up\b/i.test(description.replace(removesFrom[0], '')))) {
    const quoted = quote((keepsBoth ?? removesFrom)![0]);
    overruled.push(`${stated[0]!.text} (its description says ${quoted}: a link removed)`);
    stated[0] = { source: 'name', category: 'Write', strength: 0.85, text: `name: verb "${/verb "(\w+)"/.exec(stated[0]!.text)![1]}", and the description says ${quoted}: a link removed → Write`, why: 'it removes a link between records, which can be added again' };
    settledDeletion = true;
  }

  // Round 12: so does a grant or a link deleted by name (`delete_todo_linked_resource` "Delete a linkedResource object").
  if (stated[0]?.source === 'name' && stated[0].text.includes('a grant or a link')) settledDeletion = true;
  // The description's own "Delete …" says the same deletion the name does, now read as a commit or a link removed.
  if (settledDeletion) stated.splice(0, stated.length, ...stated.filter((signal) => signal.source !== 'description' || signal.category !== 'Destructive'));

  // Round 9: `clear_snapshot` "Clear snapshot cache": the name's object is a cache the description names, rebuilt on use.
  // Round 11: also discarding cached values ("Discard cached field values").
  const cache = stated[0]?.source === 'name' && /^name: verb "(?:clear|discard)" → Destructive$/.test(stated[0].text) ? /\bcach(?:e|es|ed)\b/i.exec(leadingSentence(description)) : null;
  if (cache) {
    const cleared = /verb "(\w+)"/.exec(stated[0]!.text)![1];
    overruled.push(`${stated[0]!.text} (its description says it ${cleared}s ${cache[0].toLowerCase()} state)`);
    stated[0] = { source: 'name', category: 'Write', strength: 0.85, text: `name: verb "${cleared}", and the description names a ${cache[0].toLowerCase()}: transient state → Write`, why: `it ${cleared}s cached state, which is rebuilt on use` };
  }

  // 2: evidence that can only raise the class.
  const raising: Signal[] = [];
  // An action enum on a tool whose name reads (`list_adjustments` with an "action" filter) filters what is read.
  const nameObject = nameTokens.filter((token) => !VERB_CATEGORY.has(token) && !GENERIC_VERBS.has(token));
  // Round 11: unless the name only names what is read (`console_logs`, `events`) and the enum lists operations, a reading
  // one among them (`action: get_logs | clear`).
  const enumAction = stated[0]?.source === 'name' && stated[0].category === 'Read' && !(stated[0].text.startsWith('name: read noun') && listsOperations(allParams)) ? undefined : enumSignal(allParams, nameObject);
  if (enumAction) raising.push(enumAction);
  for (const phrase of PHRASES) {
    const match = phrase.pattern.exec(description) ?? (phrase.pattern.source.startsWith('^') ? phrase.pattern.exec(leadingSentence(description)) : null);
    // "… to understand the graph before executing a query": the caller runs the query later, with another tool.
    if (match && phrase.category === 'Execute' && match.input === description && PURPOSE_BEFORE.test(description.slice(0, match.index))) continue;
    // Round 11: "… e.g. after a schema migration": the migration says when, not what the tool does.
    if (match && phrase.category === 'Execute' && match.input === description && /\b(?:after|following)\s+(?:an?\s+|the\s+)?$/i.test(description.slice(0, match.index))) continue;
    // Round 9: "secret values are redacted from stdout/stderr" says what is hidden in the answer; no data is destroyed.
    if (match && phrase.category === 'Destructive' && /^redact/i.test(match[0]) && REDACTS_OUTPUT.test(description)) continue;
    // Round 12: "Budget is NOT charged for rejected work": a negated charge says what costs nothing.
    if (match && phrase.category === 'Financial' && match.input === description && /\b(?:not|never|no)\s+(?:[\w-]+\s+)?$|n't\s+(?:[\w-]+\s+)?$/i.test(description.slice(0, match.index))) continue;
    // Round 12: "To permanently delete, delete again from Deleted Items" tells how another call destroys; this one does not.
    if (match && phrase.category === 'Destructive' && match.input === description && /(?:^|[.!?:\u2014-]\s*)to\s+$/i.test(description.slice(0, match.index))) continue;
    if (match) raising.push({ source: 'phrase', category: phrase.category, strength: 0.75, text: `description says ${quote(match[0])} → ${phrase.category}`, why: `its description says ${quote(match[0])}` });
  }
  // Round 12: a "command" chosen from an enum (`add | remove | replace`) is an operation, not code.
  const codeParam = params.find(([name, property]) => name !== router && CODE_PARAMETERS.has(normalized(name)) && isStringy(property) && !Array.isArray(property.enum) && !namesSomething(property) && !identifyingCode(name, property, nameTokens));
  if (codeParam) raising.push({ source: 'parameter', category: 'Execute', strength: 0.7, text: `parameter "${codeParam[0]}" (string) → Execute`, why: `it takes a "${codeParam[0]}" parameter` });
  // Round 9: flags inside a permissions object grant a right (`permissions.deleteAnyCollection`); they destroy nothing.
  const grants = new Set(params.filter(([name, property]) => GRANT_OBJECTS.test(name) && property.type === 'object').flatMap(([, property]) => members(property).map(([, inner]) => inner)));
  const flag = destructiveFlag(params.filter(([, property]) => !grants.has(property)));
  const base = stated[0]?.category;
  if (flag && base !== undefined && base !== 'Read') raising.push(flag);
  // "Check a checkbox or radio button": the name's "check" reads, the description says it ticks a box in a page.
  const ticks = TICKS_A_BOX.exec(leadingSentence(description));
  if (ticks) raising.push({ source: 'description', category: 'Write', strength: 0.7, text: `description says ${quote(ticks[0])}, a page interaction → Write`, why: `its description says ${quote(ticks[0])}` });
  // Round 7: a reading name whose tool changes a flag, sends something or registers a subscription.
  if (base === 'Read' && stated[0]?.source === 'name') {
    const lead = leadingSentence(description);
    const marks = MARKS_READ.exec(lead);
    const markFlag = params.find(([name, property]) => isBoolean(property) && tokenize(name).includes('mark') && tokenize(name).some((token) => ['read', 'seen', 'unread', 'unseen'].includes(token)));
    if (marks) raising.push({ source: 'description', category: 'Write', strength: 0.7, text: `description says ${quote(marks[0])}, a flag changed on the server → Write`, why: `its description says ${quote(marks[0])}` });
    else if (markFlag) raising.push({ source: 'parameter', category: 'Write', strength: 0.65, text: `flag "${markFlag[0]}" marks what it reads → Write`, why: `its "${markFlag[0]}" flag changes the read state of what it returns` });
    const sends = SENDS_SOMETHING.exec(lead);
    if (sends) raising.push({ source: 'description', category: 'Write', strength: 0.7, text: `description leads with ${quote(lead)}: it sends something → Write`, why: `its description says it ${sends[0].trim().toLowerCase()} something` });
    const watching = nameTokens.find((token) => WATCHING_VERBS.has(token));
    const destination = watching ? params.find(([name, property]) => NOTIFICATION_DESTINATION.test(name) && isStringy(property)) : undefined;
    if (destination) raising.push({ source: 'parameter', category: 'Write', strength: 0.65, text: `"${watching}" with a "${destination[0]}" to notify: it registers a subscription → Write`, why: `it registers notifications to a "${destination[0]}"` });
  }
  // A changing HTTP method on a tool that takes a free path or URL sends arbitrary API requests.
  const method = nameTokens.find((token) => HTTP_METHOD_VERBS.has(token));
  const freePath = params.find(([name, property]) => /^(?:path|url|endpoint|uri|route)$/i.test(name) && isStringy(property));
  if (method && freePath && nameAction !== 'generic' && nameAction?.detail === `verb "${method}"`) {
    raising.push({ source: 'name', category: 'Execute', strength: 0.8, text: `name: HTTP "${method}" to any "${freePath[0]}" → Execute`, why: `it sends an arbitrary HTTP ${method.toUpperCase()} to any ${freePath[0]}` });
  }
  // A request tool with a free path and any HTTP method (`http_request(method, path, body)`) sends arbitrary API requests;
  // a tool that creates or configures something with a URL and a method (a webhook) does not send them.
  const request = arbitraryRequest(nameTokens, params, freePath);
  if (request && base !== 'Destructive' && base !== 'Financial') raising.push(request);
  // `callCloudApi(service, action, params)`: any action of an API, with any parameters.
  const operation = params.find(([name, property]) => FREE_OPERATION.test(name) && isStringy(property) && !Array.isArray(property.enum));
  const operationArguments = params.find(([name, property]) => OPERATION_ARGUMENTS.test(name) && (property.type === 'object' || property.type === undefined));
  if (operation && operationArguments && base !== 'Read' && nameTokens.some((token) => REQUEST_TOKENS.has(token)) && !nameTokens.some((token) => CONFIGURING_VERBS.has(token))) {
    raising.push({ source: 'parameter', category: 'Execute', strength: 0.75, text: `parameters "${operation[0]}" and "${operationArguments[0]}": any action of the API, with any arguments → Execute`, why: `it calls any "${operation[0]}" of an API with any "${operationArguments[0]}"` });
  }
  // Round 6 kinds (docs/dev/catalog-classifier.md, section 17).
  if (base === 'Write' || base === 'Execute') {
    // Letting another address spend the wallet's funds (`approve(spender, amount)`) hands over money.
    const spender = allParams.find(([name]) => /spender/i.test(name));
    if (spender) raising.push({ source: 'parameter', category: 'Financial', strength: 0.7, text: `parameter "${spender[0]}": another party may spend the funds → Financial`, why: `it lets a "${spender[0]}" spend the account's funds` });
    // Any state-changing function of a contract (an ABI and a function name), signed by the wallet, can move its funds.
    const abi = params.find(([name]) => normalized(name) === 'abi');
    const contractFunction = params.find(([name, property]) => CONTRACT_FUNCTION.test(name) && isStringy(property));
    if (abi && contractFunction) raising.push({ source: 'parameter', category: 'Financial', strength: 0.7, text: `parameters "${abi[0]}" and "${contractFunction[0]}": any function of a contract, signed by the wallet → Financial`, why: `it calls any "${contractFunction[0]}" of a contract, which can move the wallet's funds` });
  }
  if (base === 'Write') {
    // Skipping, pausing or resuming a paid delivery changes what the subscription charges.
    const pausing = stated[0]?.source === 'name' && nameTokens.find((token) => PAUSING_VERBS.has(token));
    // Round 11: an application or software delivery is a release, not a paid delivery.
    const pausedWords = pausing ? [...nameTokens, ...tokenize(openingSentences(description))] : [];
    const delivery = pausedWords.find((token, i) => DELIVERIES.has(token) && !['application', 'software', 'continuous', 'app'].includes(pausedWords[i - 1] ?? ''));
    if (pausing && delivery) raising.push({ source: 'name', category: 'Financial', strength: 0.7, text: `name: "${pausing}" of a "${delivery}", which changes what is charged → Financial`, why: `it can ${pausing} a paid ${delivery}` });
    // Creating a prediction, a training or a run on an arbitrary input runs the model's code on it.
    const creating = nameTokens.find((token) => STARTS_WORK.has(token));
    const work = creating ? nameTokens.find((token) => RUNS_ON_INPUT.has(token)) : undefined;
    const input = work ? params.find(([name, property]) => WORK_INPUT.test(name) && (property.type === 'object' || property.type === undefined)) : undefined;
    if (work && input) raising.push({ source: 'parameter', category: 'Execute', strength: 0.7, text: `"${creating}" of a "${work}" with any "${input[0]}" → Execute`, why: `it runs a ${work} on an arbitrary "${input[0]}"` });
  }
  if (base === undefined || base === 'Write') {
    // A free operation whose description lists destroying ones ("ADD COLUMN, DROP COLUMN, …") can destroy.
    for (const [name, property] of params) {
      if (!ACTION_PARAMETERS.test(name) || !isStringy(property) || Array.isArray(property.enum) || typeof property.description !== 'string') continue;
      const destroying = listedDestruction(property.description);
      if (destroying) {
        raising.push({ source: 'parameter', category: 'Destructive', strength: 0.65, text: `parameter "${name}" lists ${quote(destroying)} among its operations → Destructive`, why: `its "${name}" can be ${quote(destroying)}` });
        break;
      }
    }
  }
  // Round 9 kinds (docs/dev/catalog-classifier.md, section 20).
  if (base !== 'Read') {
    // A path to a program to start (`firefoxPath`: "New Firefox binary path") runs whatever program it names.
    const program = params.find(([name, property]) => isStringy(property) && typeof property.description === 'string' && PROGRAM_PATH.test(property.description) && tokenize(name).some((token) => ['path', 'bin', 'binary', 'executable', 'exe'].includes(token)));
    if (program) raising.push({ source: 'parameter', category: 'Execute', strength: 0.7, text: `parameter "${program[0]}" (${quote(String(program[1].description), 50)}) is a program it starts → Execute`, why: `it starts the program at its "${program[0]}"` });
  }
  if (base === 'Write') {
    // An order or an expense claim with an amount states money owed or spent (`create_sales_order(amountExcludingTax)`).
    const record = nameTokens.includes('work') ? undefined : nameTokens.find((token) => SPEND_RECORDS.has(token));
    const amount = record ? allParams.find(([name, property]) => tokenize(name).some((token) => token === 'amount' || token === 'amounts' || token === 'total') && (isNumeric(property) || property.type === undefined)) : undefined;
    if (record && amount) raising.push({ source: 'parameter', category: 'Financial', strength: 0.65, text: `an "${record}" with an amount ("${amount[0]}") → Financial`, why: `it creates or changes an ${record} with an amount of money` });
  }
  // Round 10 kinds (docs/dev/catalog-classifier.md, section 21).
  if (base === 'Write') {
    // One tool for any record type (`doc_submit(doctype, name)`) whose description names invoices, orders or payments among the types.
    const recordType = params.find(([name, property]) => RECORD_TYPE_PARAMETER.test(name) && isStringy(property) && !Array.isArray(property.enum));
    const moneyType = recordType ? MONEY_DOCUMENTS.exec(description) : null;
    if (recordType && moneyType) raising.push({ source: 'parameter', category: 'Financial', strength: 0.65, text: `parameter "${recordType[0]}" picks any record type, and the description names ${quote(moneyType[0])} among them → Financial`, why: `it acts on any record type, ${moneyType[0]} among them` });
    // Creating or starting something in a working directory with arguments (`agent_create(args, cwd)`) starts a process.
    const workingDirectory = params.find(([name]) => /^(?:cwd|working_?dir(?:ectory)?|workdir)$/i.test(name));
    const argumentList = workingDirectory ? params.find(([name]) => /^(?:args|arguments|argv)$/i.test(name)) : undefined;
    if (workingDirectory && argumentList && nameTokens.some((token) => CREATES_RUNNABLE.has(token) || STARTS_WORK.has(token))) {
      raising.push({ source: 'parameter', category: 'Execute', strength: 0.7, text: `parameters "${workingDirectory[0]}" and "${argumentList[0]}": it starts a process with arguments in a working directory → Execute`, why: `it starts a process with "${argumentList[0]}" in a "${workingDirectory[0]}"` });
    }
  }
  if (base === 'Write') {
    // A status or state a changing tool sets that can be DELETE (`conversationStatus`: "ACTIVE, ARCHIVE, DELETE") deletes.
    const deleting = allParams.find(([name, property]) => /^(?:status|state)$/.test(tokenize(name).at(-1) ?? '') && isStringy(property) && (Array.isArray(property.enum) ? property.enum.some((value) => typeof value === 'string' && /^(?:delete|deleted|destroy|destroyed|purge|purged)$/i.test(value)) : typeof property.description === 'string' && /\b(?:DELETE|DELETED|DESTROY|PURGE|PURGED)\b/.test(property.description)));
    if (deleting) raising.push({ source: 'parameter', category: 'Destructive', strength: 0.65, text: `parameter "${deleting[0]}" can be set to a deletion → Destructive`, why: `its "${deleting[0]}" can be set to delete` });
  }
  if (base === 'Read' && stated[0]?.source === 'name') {
    // "Test a webhook by sending a sample event": the reading name's check sends something.
    const sending = /\bby sending\b/i.exec(leadingSentence(description));
    if (sending) raising.push({ source: 'description', category: 'Write', strength: 0.7, text: `description says ${quote(sending[0])}: it sends something → Write`, why: `its description says it works ${sending[0]} something` });
  }
  // Round 8 kinds (docs/dev/catalog-classifier.md, section 19).
  const runsSomething = raising.some((signal) => signal.category === 'Execute');
  if (base !== 'Read' || runsSomething) {
    // The call itself is paid for ("Requires x402 USDC payment", "paid automatically from the wallet", "by paying").
    const paid = PAID_CALL.exec(description);
    if (paid && !readOnlyClaim(description)) raising.push({ source: 'phrase', category: 'Financial', strength: 0.7, text: `description says ${quote(paid[0])}: the call is paid for → Financial`, why: `its description says ${quote(paid[0])}` });
  }
  if (base !== 'Read') {
    // One tool for any operation of an API (`make_api_request(service, method, request)`): any method, any request.
    const apiMethod = params.find(([name, property]) => /^method$/i.test(name) && isStringy(property) && !Array.isArray(property.enum) && typeof property.description === 'string' && OPERATION_METHOD.test(property.description) && !/\bhttp\b|\b(?:GET|POST|PUT|PATCH|DELETE)\b/.test(property.description));
    const apiRequest = apiMethod ? params.find(([name, property]) => OPERATION_ARGUMENTS.test(name) && (property.type === 'object' || property.type === undefined)) : undefined;
    if (apiMethod && apiRequest && nameTokens.some((token) => REQUEST_TOKENS.has(token)) && !nameTokens.some((token) => CONFIGURING_VERBS.has(token))) {
      raising.push({ source: 'parameter', category: 'Execute', strength: 0.75, text: `parameters "${apiMethod[0]}" (any operation of the API) and "${apiRequest[0]}" → Execute`, why: `it calls any "${apiMethod[0]}" of an API with any "${apiRequest[0]}"` });
    }
    // Such a tool, or any tool calling any action of an API, whose description lists money services (payments, refunds, payouts) moves money.
    const anyOperation = raising.find((signal) => signal.source === 'parameter' && signal.category === 'Execute' && /any (?:action|operation) of the API|any action of the API/.test(signal.text));
    const moneyService = anyOperation ? description.toLowerCase().split(/[^\p{L}]+/u).find((word) => STRONG_MONEY(word) && !AMBIGUOUS_IN_PROSE.has(word)) : undefined;
    if (anyOperation && moneyService) raising.push({ source: 'description', category: 'Financial', strength: 0.75, text: `any operation of an API whose description lists "${moneyService}" → Financial`, why: `it calls any operation of an API that offers ${moneyService}` });
    // A free statement on a tool that creates or alters a table, a column or an index is DDL.
    const ddlStatement = params.find(([name, property]) => STATEMENT_PARAMETER.test(name) && isStringy(property) && !namesSomething(property));
    const schemaObject = ddlStatement && base === 'Write' ? nameTokens.find((token) => SCHEMA_OBJECTS.has(token)) : undefined;
    if (ddlStatement && schemaObject) raising.push({ source: 'parameter', category: 'Execute', strength: 0.7, text: `parameter "${ddlStatement[0]}" holds the DDL statement that changes a "${schemaObject}" → Execute`, why: `it runs the "${ddlStatement[0]}" statement it is given, DDL that changes a ${schemaObject}` });
    // A kill or terminate signal to any process by its PID ends that process.
    const pid = params.find(([name]) => /^(?:pid|process_?id)$/i.test(name));
    const signalParam = pid ? params.find(([name, property]) => /^(?:sig|signal|signal_?name)$/i.test(name) && isStringy(property)) : undefined;
    const ending = signalParam ? (Array.isArray(signalParam[1].enum) ? signalParam[1].enum.find((value) => typeof value === 'string' && ENDING_SIGNAL.test(value)) : ENDING_SIGNAL_PROSE.exec(description)?.[0]) : undefined;
    if (pid && signalParam && typeof ending === 'string') raising.push({ source: 'parameter', category: 'Destructive', strength: 0.7, text: `parameter "${signalParam[0]}" can be "${ending}" to any process "${pid[0]}" → Destructive`, why: `it can send ${ending} to any process, which ends it` });
  }
  if (base === 'Write') {
    // Replacing a whole configuration or rule set (with the set as an array) removes whatever the call leaves out.
    const replaces = REPLACES_CONFIGURATION.exec(description);
    const set = replaces ? allParams.find(([, property]) => property.type === 'array') : undefined;
    if (replaces && set) raising.push({ source: 'phrase', category: 'Destructive', strength: 0.65, text: `description says ${quote(replaces[0])}: the whole set is replaced, what is left out is removed → Destructive`, why: `its description says ${quote(replaces[0])}` });
  }
  // A description whose lead is riskier than the name's verb, when that lead is money or destruction.
  if (described && !settledDeletion && !described.listed && base !== undefined && stated[0]!.source !== 'description' && LEVEL[described.category] > LEVEL[base] && (described.category === 'Financial' || (described.category === 'Destructive' && base !== 'Read' && STRONG_DESTRUCTION.test(leadingSentence(description))))) {
    raising.push({ ...stated.find((signal) => signal.source === 'description')!, strength: 0.7 });
  }
  // A changing tool whose description names money ("create an adjustment to refund …").
  if (base !== undefined && (base === 'Write' || base === 'Execute')) {
    // Round 9: letters of any script split nothing ("télécharge" is not "charge").
    const sentenceWords = openingSentences(description).toLowerCase().split(/[^\p{L}]+/u);
    const money = sentenceWords.find((word, i) => !qualified.has(word) && !moneyOnlyQualifies(sentenceWords, i) && ((STRONG_MONEY(word) && !AMBIGUOUS_IN_PROSE.has(word)) || (VERB_CATEGORY.get(word) === 'Financial' && word !== 'order' && word !== 'credit' && word !== 'transfer' && word !== 'subscribe')));
    if (money && !readOnlyClaim(description)) {
      raising.push({ source: 'description', category: 'Financial', strength: 0.65, text: `description of a changing tool names money: "${money}" → Financial`, why: `its description says it changes something and names "${money}"` });
    }
    // Changing the image a container, pod or service runs deploys that image; a profile's or a product's image does not.
    const runner = [...nameTokens, ...tokenize(leadingSentence(description)).slice(0, 6)].find((token) => RUNS_AN_IMAGE.has(token));
    const image = runner && base === 'Write' ? params.find(([name, property]) => tokenize(name).includes('image') && isStringy(property) && !namesSomething(property)) : undefined;
    if (image) raising.push({ source: 'parameter', category: 'Execute', strength: 0.65, text: `parameter "${image[0]}" sets the image of a "${runner}", which deploys it → Execute`, why: `it sets the "${image[0]}" a ${runner} runs` });
    // Replacing a whole set removes whatever the call leaves out.
    const wholeSet = base === 'Write' ? REPLACES_WHOLE_SET.exec(description) : null;
    if (wholeSet) raising.push({ source: 'phrase', category: 'Destructive', strength: 0.65, text: `description says ${quote(wholeSet[0])}: what is left out is deleted → Destructive`, why: `its description says ${quote(wholeSet[0])}` });
    // The description says what it creates or changes is billed ("BILLABLE from creation", "incurs storage charges").
    const billed = BILLED_PHRASE.exec(description);
    if (billed && !readOnlyClaim(description)) {
      raising.push({ source: 'phrase', category: 'Financial', strength: 0.65, text: `description says ${quote(billed[0])}: what it creates or changes is billed → Financial`, why: `its description says ${quote(billed[0])}` });
    }
    // A spending limit or an ad budget sets how much money goes out.
    const spend = spendParameter(allParams);
    if (spend) raising.push({ source: 'parameter', category: 'Financial', strength: 0.65, text: `parameter "${spend}" sets a spend limit or budget → Financial`, why: `its "${spend}" parameter sets how much may be spent` });
    // A confirmation that the caller accepted a cost (`confirm_cost_id`): what it creates is charged for.
    const confirmsCost = costConfirmation(params);
    if (confirmsCost) raising.push({ source: 'parameter', category: 'Financial', strength: 0.7, text: `parameter "${confirmsCost}" confirms a cost → Financial`, why: `it takes "${confirmsCost}", a confirmation that the caller accepted a charge` });
    // Creating something with a region, plan or size provisions a billed resource.
    const provisioningParams = params.filter(([name]) => PROVISIONING_PARAMETERS.has(normalized(name)));
    const provisioning = provisioningParams[0];
    const creates = nameTokens.some((token) => ['create', 'provision', 'new', 'add', 'launch', 'deploy', 'setup'].includes(token));
    if (provisioning && provisioningParams.length >= 2 && creates) {
      raising.push({ source: 'parameter', category: 'Financial', strength: 0.6, text: `creates something with parameters ${provisioningParams.map(([name]) => `"${name}"`).join(', ')} (where and how big) → Financial`, why: `it creates a resource with a ${provisioningParams.map(([name]) => `"${name}"`).join(' and ')}, which provisions billed infrastructure` });
    }
    // Resizing with a size or plan (not a window's width, not a number alone) changes what a resource is billed.
    const resizes = nameTokens.includes('resize') && !nameTokens.some((token) => DISPLAY_OBJECTS.has(token));
    const named = provisioningParams.find(([, property]) => !isNumeric(property));
    if (resizes && named) {
      raising.push({ source: 'parameter', category: 'Financial', strength: 0.6, text: `resizes with parameter "${named[0]}" → Financial`, why: `it resizes a resource to another "${named[0]}", which changes what it is billed` });
    }
    // Changing how many nodes, instances or replicas run, or their machine type, compute size or tier, changes the bill.
    const capacity = billedCapacity(nameTokens, openingSentences(description), params);
    // Only on a plain changing tool: one that also takes a manifest or code (`kubectl_create` with `replicas`)
    // creates whatever the manifest says, and is Execute for that.
    const runsCode = raising.some((signal) => signal.category === 'Execute');
    if (capacity && base === 'Write' && !runsCode && !nameTokens.some((token) => DISPLAY_OBJECTS.has(token))) {
      raising.push({ source: capacity.source, category: 'Financial', strength: 0.65, text: `${capacity.text} → Financial`, why: `${capacity.why}, which changes what it is billed` });
    }
  }
  // Round 12: an amount paid to a person for the work the call posts (`post_competition(prize_usd)`), or a budget on a
  // tool whose name states no action (`ask_human(question, budget_usd)`): the call hires and pays.
  if (base === undefined || base === 'Write') {
    const pay = allParams.find(([name, property]) => isNumeric(property) && tokenize(name).some((token) => PAY_WORDS.has(token)));
    const budget = base === undefined ? spendParameter(allParams) : undefined;
    if (pay) raising.push({ source: 'parameter', category: 'Financial', strength: 0.65, text: `parameter "${pay[0]}" is an amount paid for the work → Financial`, why: `its "${pay[0]}" parameter is an amount paid to whoever does the work` });
    else if (budget) raising.push({ source: 'parameter', category: 'Financial', strength: 0.6, text: `parameter "${budget}" sets the budget it spends → Financial`, why: `its "${budget}" parameter sets how much it spends` });
  }
  // Round 8: a command stored for later runs (`buildCommand`, `start_command`, `preDeployScript`) runs whatever it is set to.
  const laterCommand = base === 'Write' ? params.find(([name, property]) => {
    const tokens = tokenize(name);
    return tokens.length >= 2 && LATER_COMMAND.has(tokens[tokens.length - 1]!) && !tokens.some((token) => NAMES_A_COMMAND.has(token)) && isStringy(property) && !namesSomething(property);
  }) : undefined;
  if (laterCommand) raising.push({ source: 'parameter', category: 'Execute', strength: 0.7, text: `parameter "${laterCommand[0]}" sets a command that later runs → Execute`, why: `it sets the "${laterCommand[0]}" that later runs` });
  // Merging or rebasing a branch "runs any newer migrations", promoting "running its migrations": it runs them.
  const migrations = base === undefined || base === 'Write' ? RUNS_MIGRATIONS.exec(description) : null;
  if (migrations) raising.push({ source: 'phrase', category: 'Execute', strength: 0.7, text: `description says ${quote(migrations[0])}: it runs migrations → Execute`, why: `its description says ${quote(migrations[0])}` });
  // An action enum value that creates a server or an instance (`create_server`), with where and how big it is: billed infrastructure.
  const enumValue = enumAction?.category === 'Write' ? /can be "([^"]+)"/.exec(enumAction.text)?.[1] : undefined;
  const enumTokens = enumValue ? tokenize(enumValue) : [];
  if (enumTokens.length > 1 && CREATES_RUNNABLE.has(enumTokens[0]!) && enumTokens.some((token) => BILLED_UNITS.has(token))) {
    const sized = billedCapacity([], '', params) ?? (params.filter(([name]) => PROVISIONING_PARAMETERS.has(normalized(name))).length >= 2 ? { text: 'parameters say where and how big' } : undefined);
    if (sized) raising.push({ source: 'enum', category: 'Financial', strength: 0.65, text: `parameter "action" can be "${enumValue}" (${sized.text}) → Financial`, why: `it can "${enumValue}", which provisions billed infrastructure` });
  }
  // Setting a price (`variants[].price`, `unit_amount`) sets what customers are charged.
  const price = allParams.find(([name]) => PRICE_PARAMETERS.test(name));
  if (price && (base === undefined || base === 'Write')) {
    raising.push({ source: 'parameter', category: 'Financial', strength: 0.6, text: `parameter "${price[0]}" sets a price → Financial`, why: `its "${price[0]}" parameter sets what customers are charged` });
  }
  // "add/drop/modify columns", "create/delete files": the riskiest of the operations a description joins with slashes.
  if (base !== undefined && base !== 'Read') {
    const joined = slashedAction(openingSentences(description));
    if (joined && LEVEL[joined.category] > LEVEL[base]) raising.push({ source: 'description', category: joined.category, strength: 0.65, text: `description lists ${joined.detail} → ${joined.category}`, why: `its description lists ${joined.detail}` });
  }
  // "Manage Docker volumes" with a free-text action: the schema allows any action, removal included.
  const freeAction = params.find(([name, property]) => ACTION_PARAMETERS.test(name) && isStringy(property) && !Array.isArray(property.enum) && !/\bcommand\b/i.test(name));
  const managing = nameAction === 'generic' || (nameAction === undefined && /^(?:manage|administer|control)\b/i.test(leadingSentence(description)));
  if (freeAction && managing && !enumAction && (base === undefined || base === 'Write')) {
    raising.push({ source: 'parameter', category: 'Destructive', strength: 0.55, text: `manages with a free-text "${freeAction[0]}" (no list of actions) → Destructive`, why: `it manages something with any "${freeAction[0]}", removal included` });
  }

  // A bare tool name (`kubectl_rollout`) says only that a CLI is wrapped; its action enum says what the tool does.
  if (enumAction && stated[0]?.source === 'name' && stated[0].text.startsWith('name: tool ')) {
    overruled.push(`${stated[0].text} (the tool's name only; its action enum says what it does)`);
    stated.shift();
  }
  // Round 10: `pipelines_build(action: list | get_status)`: a noun-verb homograph in the name names what the tool is
  // about; its action enum says what it does.
  const homograph = /^name: verb "([a-z]+)" → /.exec(stated[0]?.source === 'name' ? stated[0].text : '')?.[1];
  if (enumAction && homograph && NOUN_VERBS.has(homograph)) {
    overruled.push(`${stated[0]!.text} ("${homograph}" names what the tool is about; its action enum says what it does)`);
    stated.shift();
  }
  // The stated action, raised by anything riskier.
  let deciding: Signal | undefined = stated[0];
  let category: Category | undefined = deciding?.category;
  for (const signal of raising) {
    if (category === undefined || LEVEL[signal.category] > LEVEL[category] || (LEVEL[signal.category] === LEVEL[category] && RANK[signal.category] > RANK[category] && signal.source === 'enum')) {
      if (deciding && category !== undefined) overruled.push(`${deciding.text} (raised: ${signal.text.replace(/ → .*$/, '')} is riskier)`);
      category = signal.category;
      deciding = signal;
    }
  }
  const readOnlyPhrase = readOnlyClaim(description);
  // "Select and run one of the following read operations (read-only)": a description that decides alone
  // and says read-only is read.
  if (readOnlyPhrase && deciding?.source === 'description' && category === 'Write' && !raising.includes(deciding)) {
    overruled.push(`${deciding.text} (the description also says ${quote(readOnlyPhrase[0])})`);
    deciding = { source: 'phrase', category: 'Read', strength: 0.6, text: `description says ${quote(readOnlyPhrase[0])} → Read`, why: `its description says ${quote(readOnlyPhrase[0])}` };
    category = 'Read';
  }
  // A read-only query tool is Read when nothing in its schema allows more ("Run a read-only SQL query"),
  // also when its name is what says "query" (`sql_readonly`, `cypher_query`): the rubric reads the description.
  const queryTool = isQueryTool([nameTokens, tokenize(openingSentences(description)), codeParam ? tokenize(codeParam[0]) : []]);
  // "Transform a script without executing it" denies running at all; "read-only" restricts what a query may do.
  const deniesRunning = readOnlyPhrase !== null && /^without /i.test(readOnlyPhrase[0]) && deciding?.source !== 'name';
  if (readOnlyPhrase && category === 'Execute' && deciding && (queryTool || deniesRunning) && (deciding.source === 'parameter' || deciding.source === 'phrase' || deciding.source === 'description' || deciding.source === 'name')) {
    const runs = raising.some((signal) => signal.source === 'phrase' && /arbitrary|any /i.test(signal.text));
    const allows = writeSwitch(allParams);
    if (allows && !runs) overruled.push(`description says ${quote(readOnlyPhrase[0])} → Read (its schema allows more: ${allows})`);
    if (!runs && !allows) {
      overruled.push(`${deciding.text} (the description says ${quote(readOnlyPhrase[0])}, and nothing in the schema allows more)`);
      deciding = { source: 'phrase', category: 'Read', strength: 0.6, text: `description says ${quote(readOnlyPhrase[0])} → Read`, why: `its description says ${quote(readOnlyPhrase[0])}` };
      category = 'Read';
      reviewReasons.push(`a query tool that says it is read-only: check the server enforces it`);
    }
  }

  // A query tool named for reading (`query_graph`) whose description says it can write, or whose schema has a
  // read-only switch the caller may turn off, runs queries that can mutate (round 7).
  if (category === 'Read' && deciding?.source === 'name' && queryTool) {
    const writes = WRITING_QUERIES.exec(description);
    const allows = writes ? undefined : writeSwitch(allParams);
    if (writes || allows) {
      overruled.push(`${deciding.text} (its queries can write: ${writes ? quote(writes[0]) : allows})`);
      deciding = writes
        ? { source: 'phrase', category: 'Execute', strength: 0.7, text: `query tool whose description says ${quote(writes[0])}: its queries can write → Execute`, why: `it runs queries and its description says ${quote(writes[0])}` }
        : { source: 'parameter', category: 'Execute', strength: 0.65, text: `query tool with a read-only switch (${allows}): its queries can write → Execute`, why: `it runs queries, and its ${allows} can allow writes` };
      category = 'Execute';
    }
  }
  // A statement tool (`execute(sql)` "Run a data-modifying SQL statement (INSERT/UPDATE/DELETE or DDL)"): the listed
  // statements are what its code may do, so it runs code (Execute), rather than deleting by a listed verb.
  const statement = params.find(([name, property]) => STATEMENT_PARAMETER.test(name) && isStringy(property) && !namesSomething(property));
  const statements = statement ? CHANGING_STATEMENTS.exec(description) : null;
  if (statement && statements && deciding && (category === 'Write' || (category === 'Destructive' && (deciding.source === 'description' || deciding.source === 'phrase')))) {
    overruled.push(`${deciding.text} (the statements it lists are what its "${statement[0]}" may run)`);
    deciding = { source: 'parameter', category: 'Execute', strength: 0.7, text: `parameter "${statement[0]}" runs the statements its description lists (${quote(statements[0])}) → Execute`, why: `it runs a "${statement[0]}" statement that may ${statements[0]}` };
    category = 'Execute';
  }
  // "dry-run": computes what would change and changes nothing, unless a parameter turns the real run on.
  const dryRun = DRY_RUN.exec(description) ?? DRY_RUN.exec(nameTokens.join(' '));
  const realRun = allParams.find(([name, property]) => isBoolean(property) && /dry|preview|apply|execute|commit/i.test(name));
  if (dryRun && category === 'Execute' && deciding?.source === 'name' && !realRun) {
    overruled.push(`${deciding.text} (it says ${quote(dryRun[0])}: it changes nothing)`);
    deciding = { source: 'phrase', category: 'Read', strength: 0.6, text: `${dryRun.input === description ? 'description' : 'name'} says ${quote(dryRun[0])}: it computes what would change → Read`, why: `it is a ${dryRun[0]} that changes nothing` };
    category = 'Read';
  }
  // "Generates a suggested domain": a suggestion handed back to the caller.
  // Round 9: so does a generated password or passphrase ("Generate a secure password"), stored nowhere.
  const generates = category === 'Write' && deciding?.text.startsWith('name: verb "generate"');
  const storesSecret = generates && params.some(([name]) => /(?:vault|item|account|user|login)(?:_?ids?)?$/i.test(name));
  const suggestion = generates ? (/\bsuggest(?:ed|ion|ions|s)?\b/i.exec(leadingSentence(description)) ?? (storesSecret ? null : GENERATED_SECRET.exec(leadingSentence(description)))) : null;
  if (suggestion && deciding) {
    overruled.push(`${deciding.text} (it generates ${quote(suggestion[0])} for the caller)`);
    deciding = { source: 'description', category: 'Read', strength: 0.6, text: `description says ${quote(suggestion[0])}: generated for the caller → Read`, why: `it generates ${quote(suggestion[0])} and hands it back` };
    category = 'Read';
  }

  // 3: annotations, hints from a server that may be wrong.
  const evidence: string[] = [];
  const readOnly = annotations?.readOnlyHint;
  const destructive = annotations?.destructiveHint;
  let annotationAgrees = false;
  let annotationDecided = false;
  if (!annotations || (readOnly === undefined && destructive === undefined)) {
    evidence.push(
      annotations
        ? 'annotations: no readOnlyHint or destructiveHint (MCP defaults apply: not read-only, possibly destructive)'
        : 'annotations: none declared (MCP defaults apply: not read-only, possibly destructive, open world)',
    );
  } else if (readOnly === true) {
    const text = 'annotations: readOnlyHint: true → Read';
    evidence.push(text);
    if (category === undefined && managing) {
      // "Manage list entries with flexible modes": managing changes things, whatever the hint says.
      category = 'Write';
      annotationDecided = true;
      deciding = { source: 'name', category: 'Write', strength: 0.5, text: '"manage" with no operation listed → Write', why: 'it manages something and says no operation it is limited to' };
      overruled.push(`${text} (a hint from the server; a tool that manages something changes it)`);
    } else if (category === undefined) {
      category = 'Read';
      annotationDecided = true;
      deciding = { source: 'annotations', category: 'Read', strength: 0.5, text, why: 'the server marks it read-only and nothing else says otherwise' };
    } else if (category === 'Read') annotationAgrees = true;
    else if (category === 'Write' && deciding && /^name: verb "(?:generate|render|format|compose)"$/.test(deciding.text.replace(/ → Write$/, '')) && raising.length === 0) {
      // `generate_typescript_types` marked read-only: what it generates is handed back, nothing is stored.
      overruled.push(`${deciding.text} (the server marks it read-only: what it generates is returned)`);
      deciding = { source: 'annotations', category: 'Read', strength: 0.6, text: `annotations: readOnlyHint: true on "${deciding.text.match(/verb "(\w+)"/)?.[1]}", output returned to the caller → Read`, why: 'the server marks it read-only and what it generates is returned to the caller' };
      category = 'Read';
      annotationAgrees = true;
    } else {
      conflicts.push(`the server marks it read-only (readOnlyHint: true), but ${deciding!.why} (${category}); ${category}, the higher risk, wins`);
      overruled.push(`${text} (a hint from the server; ${category} is the higher risk)`);
    }
  } else {
    const claims = [readOnly === false ? 'readOnlyHint: false' : undefined, destructive === true ? 'destructiveHint: true' : undefined].filter((claim) => claim !== undefined);
    if (destructive === false) claims.push('destructiveHint: false');
    evidence.push(`annotations: ${claims.join(', ')}`);
    const claimsChange = readOnly === false || destructive === true;
    if (claimsChange) {
      const change = claims.filter((c) => c !== 'destructiveHint: false').join(', ');
      if (category === undefined) {
        // Nothing else speaks: an explicit destructiveHint is the cautious answer (a tool classed Write would be reachable).
        const hinted: Category = destructive === true ? 'Destructive' : 'Write';
        category = hinted;
        annotationDecided = true;
        deciding = { source: 'annotations', category: hinted, strength: 0.5, text: `annotations: ${claims.join(', ')} → ${hinted}`, why: hinted === 'Destructive' ? 'the server marks it destructive and nothing else says otherwise' : 'the server says it changes its environment and nothing else says how' };
      } else if (category === 'Read') {
        // The verb names a specific reading action; the hint is generic (and often left at its default).
        conflicts.push(`${deciding!.why} (Read), but the server says it changes its environment (${change}); kept Read, review it`);
        overruled.push(`annotations: ${change} → Write (a generic hint; ${deciding!.why})`);
      } else annotationAgrees = true;
    }
    if (destructive === false && category === 'Destructive') {
      conflicts.push(`the server says it is not destructive (destructiveHint: false), but ${deciding!.why} (Destructive); Destructive, the higher risk, wins`);
      overruled.push('annotations: destructiveHint: false (a hint; it cannot lower the class)');
      annotationAgrees = false;
    }
  }

  // 4: nothing at all.
  if (category === undefined) {
    return {
      category: 'Write',
      risk: RISK_OF_CATEGORY.Write,
      confidence: 0.3,
      reason: 'Nothing in its name, description, parameters or annotations says what it does; classed Write, and a person must review it.',
      evidence: ['no action verb in the name, title or description, no code parameter, no annotations', ...evidence],
      conflicts,
      overruled,
      needsReview: 'no evidence of what it does',
      votes: [],
    };
  }

  if (readOnlyPhrase && category === 'Read' && deciding!.text.indexOf(readOnlyPhrase[0]) < 0) evidence.push(`description says ${quote(readOnlyPhrase[0])} → Read`);
  if (category === 'Financial') {
    const money = params.find(([name]) => MONEY_PARAMETERS.has(name.toLowerCase()));
    if (money) evidence.push(`parameter "${money[0]}" (money)`);
  }

  const final = category;
  const others = [...stated, ...raising].filter((signal) => signal !== deciding);
  for (const signal of others) {
    if (signal.category === final || overruled.some((line) => line.startsWith(signal.text))) continue;
    overruled.push(`${signal.text} (${LEVEL[signal.category] < LEVEL[final] ? `lower risk than ${final}` : `${deciding!.source === 'name' ? 'the name' : deciding!.source === 'enum' ? 'the action enum' : 'stronger evidence'} decides`})`);
  }
  let confidence = deciding!.strength;
  const agreeing = others.filter((signal) => signal.category === final).length;
  confidence += Math.min(agreeing, 2) * 0.04;
  if (annotationAgrees) confidence += 0.06;
  if (stated.some((signal) => signal !== deciding && signal.category !== final)) confidence -= 0.1;
  if (conflicts.length > 0) confidence = Math.min(confidence, 0.5);

  if (conflicts.length > 0) reviewReasons.push('its evidence conflicts');
  else if (annotationDecided) reviewReasons.push('only the server’s annotations say what it does');
  else if (deciding!.source === 'description' && !(deciding as Signal & { listed?: unknown }).listed && stated.length === 1 && raising.length === 0) reviewReasons.push('only its description’s first words say what it does');
  if (stated.length === 0 && !annotationDecided && deciding!.source !== 'enum' && reviewReasons.length === 0) reviewReasons.push('its name and description state no action');
  if (final === 'Write' && reviewReasons.length === 0) {
    // A destructive option nested inside another parameter (`replace_content.allow_deleting_content`) is weaker
    // evidence than a top-level flag: it does not decide, but the tool should not get Write's limit unreviewed.
    const topLevel = new Set(params.map(([name]) => name));
    const nested = destructiveFlag(allParams.filter(([name]) => !topLevel.has(name)));
    if (nested) reviewReasons.push(`classed Write, but a nested option can destroy data: ${nested.text.replace(/ → Destructive$/, '')}`);
  }
  if (final === 'Write' && reviewReasons.length === 0) {
    const words = `${nameTokens.join(' ')} ${description} ${params.map(([name]) => tokenize(name).join(' ')).join(' ')}`;
    const hint = RISK_HINTS.exec(words);
    if (hint) reviewReasons.push(`classed Write, but it mentions ${quote(hint[0].toLowerCase())}, which may mean code, money or loss`);
  }
  if (final === 'Write' && reviewReasons.length === 0) {
    // What the name acts on is where money or loss hides without a word saying so (round 6, section 17): a thing money
    // is attached to (an order, a plan, a card), a container a provider may bill for (a project, a database, a
    // branch), or a copy or move into a target that may already hold data.
    const attached = nameTokens.find((token) => WEAK_MONEY_NOUNS.has(token));
    const creates = nameTokens.some((token) => CREATING_VERBS.has(token));
    const container = creates ? nameTokens.find((token) => INFRASTRUCTURE_OBJECTS.has(token) || token === 'branch' || token === 'branches') : undefined;
    const copies = nameTokens.find((token) => COPYING_VERBS.has(token));
    // Round 10: one tool for any record type (`doc_create(doctype, data)`): invoices or payments may be among the types.
    // A resource type (`kubectl_patch(resourceType)`) names a kind of infrastructure, not of business record: no mark.
    const anyType = params.find(([name, property]) => RECORD_TYPE_PARAMETER.test(name) && !/resource/i.test(name) && isStringy(property) && !Array.isArray(property.enum));
    if (attached) reviewReasons.push(`classed Write, but its name names ${quote(attached)}, which money may be attached to`);
    else if (anyType) reviewReasons.push(`classed Write, but it acts on any record type ("${anyType[0]}"), where money or loss may hide`);
    else if (container) reviewReasons.push(`classed Write, but it creates a ${quote(container)}, which a provider may bill for`);
    else if (copies) reviewReasons.push(`classed Write, but it can ${copies} into a target that may already hold data`);
  }

  const reason =
    conflicts.length > 0
      ? `${final} because the evidence disagrees and the higher risk wins: ${conflicts[0]}.`
      : `${final} because ${deciding!.why}: ${MEANING[final]}.`;

  return {
    category: final,
    risk: RISK_OF_CATEGORY[final],
    confidence: round(confidence),
    reason,
    evidence: [deciding!.text, ...others.map((signal) => signal.text), ...evidence.filter((line) => !annotationDecided || !deciding!.text.startsWith(line))],
    conflicts,
    overruled,
    ...(reviewReasons.length > 0 ? { needsReview: reviewReasons.join('; ') } : {}),
    votes: [...stated, ...raising, ...(annotationDecided ? [deciding!] : [])].map((signal) => ({ source: signal.source, category: signal.category })),
  };
}
