import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyTool, tokenize } from '../../src/catalog/classify.js';
import { mcpSlicer } from '../../src/catalog/servers/mcp-slicer.js';
import { CATEGORIES, RISK_OF_CATEGORY } from '../../src/catalog/types.js';

const category = (tool: Parameters<typeof classifyTool>[0]) => classifyTool(tool).category;
/** A probe: the class and the deciding evidence line (the fresh-probe suites below). */
const probe = (tool: Parameters<typeof classifyTool>[0], expected: string, deciding: RegExp) => {
  const result = classifyTool(tool);
  expect(result.category).toBe(expected);
  expect(result.evidence[0]).toMatch(deciding);
  return result;
};

describe('tokenize', () => {
  it.each([
    ['delete_entities', ['delete', 'entities']],
    ['API-post-search', ['api', 'post', 'search']],
    ['getTinyImage', ['get', 'tiny', 'image']],
    ['HTTPRequestLog', ['http', 'request', 'log']],
    ['git.status 2', ['git', 'status', '2']],
  ])('%s', (name, tokens) => {
    expect(tokenize(name)).toEqual(tokens);
  });
});

describe('classifyTool: the name', () => {
  it.each([
    ['list_nodes', 'Read'],
    ['capture_screenshot', 'Read'],
    ['execute_python_code', 'Execute'],
    ['run-code', 'Execute'],
    ['create_or_update_file', 'Write'],
    ['slack_post_message', 'Write'],
    ['delete_entities', 'Destructive'],
    ['purgeCache', 'Destructive'],
    ['drop_table', 'Destructive'],
    ['browser_drop', 'Write'],
    ['create_refund', 'Financial'],
    ['cancel_subscription', 'Financial'],
    ['transfer_funds', 'Financial'],
    ['list_invoices', 'Read'],
    ['capture_payment', 'Financial'],
    ['git_checkout', 'Write'],
    ['get_pull_request', 'Read'],
    ['API-post-search', 'Read'],
    ['API-post-page', 'Write'],
    ['sql_query', 'Execute'],
    ['query', 'Read'],
    ['git_status', 'Read'],
    ['python', 'Execute'],
  ] as const)('%s → %s', (name, expected) => {
    expect(category({ name })).toBe(expected);
  });

  it('quotes the deciding evidence first, and explains it', () => {
    const result = classifyTool({ name: 'create_refund', description: 'Refunds a payment.', inputSchema: { type: 'object', properties: { amount: { type: 'number' } } } });
    expect(result).toMatchObject({ category: 'Financial', risk: 'Critical' });
    expect(result.evidence[0]).toBe('name: "create" on "refund" → Financial');
    expect(result.evidence).toContain('parameter "amount" (money)');
    expect(result.reason).toBe('Financial because its name has "create" on "refund": it moves money or creates a charge.');
  });
});

describe('classifyTool: description and parameters', () => {
  it('uses the description when the name says nothing', () => {
    expect(classifyTool({ name: 'sequentialthinking', description: 'This tool will permanently delete the workspace.' })).toMatchObject({ category: 'Destructive' });
    expect(category({ name: 'widget', description: 'Notion | Retrieve a user' })).toBe('Read');
    expect(category({ name: 'widget', description: 'Echoes back the input.' })).toBe('Read');
  });

  it('takes the riskiest operation a "manage" description lists', () => {
    const result = classifyTool({ name: 'git_branch', description: 'Manage branches: list all branches, create a new branch, delete a branch, or rename a branch.' });
    expect(result.category).toBe('Destructive');
    expect(result.evidence[0]).toBe('description lists operations list, create, delete, rename → Destructive');
    expect(category({ name: 'browser_tabs', description: 'List, create, close, or select a browser tab.' })).toBe('Write');
  });

  it('raises a class on strong phrases and code parameters, never lowers it', () => {
    // The rubric: "read-only" in a query tool's description makes it Read, unless its schema allows more.
    expect(category({ name: 'query', description: 'Run a read-only SQL query', inputSchema: { type: 'object', properties: { sql: { type: 'string' } } } })).toBe('Read');
    expect(category({ name: 'query', description: 'Run any SQL query', inputSchema: { type: 'object', properties: { sql: { type: 'string' } } } })).toBe('Execute');
    expect(category({ name: 'get_report', inputSchema: { type: 'object', properties: { command: { type: 'string' } } } })).toBe('Execute');
    // A numeric "code" is not code to run.
    expect(category({ name: 'get_country', inputSchema: { type: 'object', properties: { code: { type: 'integer' } } } })).toBe('Read');
    // Nested wrappers such as {params: {script}} count too.
    expect(category({ name: 'get_job', inputSchema: { type: 'object', properties: { params: { type: 'object', properties: { script: { type: 'string' } } } } } })).toBe('Execute');
    expect(category({ name: 'delete_file', description: 'Runs arbitrary shell commands.' })).toBe('Destructive');
  });
});

describe('classifyTool: the kinds of mistake issue 16 lists', () => {
  const object = (properties: Record<string, unknown>) => ({ type: 'object', properties });
  it.each([
    // A verb's object decides what kind of action it is.
    [{ name: 'start_process' }, 'Execute'],
    [{ name: 'start_search' }, 'Read'],
    [{ name: 'screencast_start' }, 'Write'],
    [{ name: 'asana_remove_tag_from_task' }, 'Write'],
    [{ name: 'remove_contact' }, 'Destructive'],
    [{ name: 'reset-droplet-password' }, 'Write'],
    [{ name: 'run_aggregation' }, 'Read'],
    [{ name: 'workflow_create' }, 'Execute'],
    // Applying manifests or migrations, installing charts, feeding a REPL: Execute, not Write.
    [{ name: 'kubectl_apply' }, 'Execute'],
    [{ name: 'install_helm_chart' }, 'Execute'],
    [{ name: 'prepare_database_migration' }, 'Execute'],
    [{ name: 'interact_with_process', title: 'Send Input to Process', description: 'Send input to an existing terminal or REPL process and return newly available output.' }, 'Execute'],
    // A CLI's name is a prefix, not the action.
    [{ name: 'kubectl_get', annotations: { readOnlyHint: true } }, 'Read'],
    [{ name: 'bash_read_file' }, 'Read'],
    [{ name: 'kubectl_generic' }, 'Execute'],
    // Navigation changes state.
    [{ name: 'browser_navigate' }, 'Write'],
    [{ name: 'playwright_go_back' }, 'Write'],
    // Destruction stated in parameters or descriptions.
    [{ name: 'rename-collection', inputSchema: object({ dropTarget: { type: 'boolean', description: 'If true, drops the target collection.' } }) }, 'Destructive'],
    [{ name: 'git_push', inputSchema: object({ force: { type: 'boolean', description: 'Force push (overwrites remote history).' } }) }, 'Destructive'],
    [{ name: 'cleanup', description: 'Cleanup all managed resources' }, 'Destructive'],
    [{ name: 'UpdateMessage', description: 'Update a Message resource (used to redact Message body text)' }, 'Destructive'],
    [{ name: 'node_management', inputSchema: object({ operation: { type: 'string', enum: ['cordon', 'drain', 'uncordon'] } }) }, 'Destructive'],
    // Money without the word "pay".
    [{ name: 'CreateIncomingPhoneNumber', description: 'Twilio - Api: This is the public Twilio REST API. Purchase a phone-number for the account.' }, 'Financial'],
    [{ name: 'create_adjustment', description: 'This tool will create an adjustment to refund or credit all or part of a transaction.' }, 'Financial'],
    [{ name: 'create-index', inputSchema: object({ name: { type: 'string' }, cloud: { type: 'string' }, region: { type: 'string' } }) }, 'Financial'],
    [{ name: 'subscriptions-pause' }, 'Financial'],
    [{ name: 'run_sql_transaction' }, 'Execute'],
    // Arbitrary API requests.
    [{ name: 'jira_post', inputSchema: object({ path: { type: 'string' }, body: { type: 'object' } }) }, 'Execute'],
    [{ name: 'jira_get', inputSchema: object({ path: { type: 'string' } }) }, 'Read'],
    // An operation chosen by anyOf variants is an action enum.
    [{ name: 'services-updater', inputSchema: object({ selectSchema: { anyOf: [object({ operation: { const: 'update-name' } }), object({ operation: { const: 'delete-site' } })] } }) }, 'Destructive'],
  ] as const)('%j → %s', (tool, expected) => {
    expect(classifyTool(tool as Parameters<typeof classifyTool>[0]).category).toBe(expected);
  });

  // Kinds found on the second round of servers (docs/dev/catalog-classifier.md, step 7), each with
  // its counter-example: the rule must not fire where the kind does not apply.
  it.each([
    // Bookkeeping records state money even without "pay".
    [{ name: 'create_journal_entry', description: 'Create a journal entry.' }, 'Financial'],
    [{ name: 'add_vendor_credit' }, 'Financial'],
    [{ name: 'create_diary_entry' }, 'Write'],
    // Setting a price, also inside an array of variants.
    [{ name: 'manage-variants', inputSchema: object({ variants: { type: 'array', items: object({ price: { type: 'string' }, sku: { type: 'string' } }) } }) }, 'Financial'],
    [{ name: 'update_note', inputSchema: object({ text: { type: 'string' } }) }, 'Write'],
    // Resizing with a size or plan is billed; resizing a window is not.
    [{ name: 'resize-server', inputSchema: object({ id: { type: 'string' }, size: { type: 'string' } }) }, 'Financial'],
    [{ name: 'resize_window', inputSchema: object({ width: { type: 'number' }, size: { type: 'string' } }) }, 'Write'],
    // A paid add-on switched on or off; a feature that is not billed.
    [{ name: 'enable-backups-server' }, 'Financial'],
    [{ name: 'enable_notifications' }, 'Write'],
    // Restoring over the present from a backup destroys; restoring from the trash does not.
    [{ name: 'restore_database', description: 'Restore a database from a backup.' }, 'Destructive'],
    [{ name: 'restore_page', description: 'Restore a page from the trash.' }, 'Write'],
    // A service created from a repository or an image deploys that code.
    [{ name: 'service_create_from_repo' }, 'Execute'],
    [{ name: 'create_issue_from_comment' }, 'Write'],
    // Stored code: procedures and triggers run once created.
    [{ name: 'create_stored_procedure' }, 'Execute'],
    [{ name: 'write_trigger' }, 'Execute'],
    // A database transaction is not money; a payment transaction is.
    [{ name: 'commit_transaction' }, 'Write'],
    [{ name: 'execute_in_transaction' }, 'Execute'],
    [{ name: 'create_transaction', description: 'Bill a customer.' }, 'Financial'],
    // Dropping schema objects destroys them; dropping a file onto a page does not.
    [{ name: 'drop_constraint' }, 'Destructive'],
    [{ name: 'drop_file' }, 'Write'],
    // "add/drop/modify columns": the riskiest of the operations a description joins with slashes.
    [{ name: 'change_table', description: 'Modifies a table: add/drop/rename columns.' }, 'Destructive'],
    [{ name: 'change_table', description: 'Modifies a table: add/rename columns.' }, 'Write'],
    // "Manage X" with a free-text action allows removal.
    [{ name: 'storage-volume', description: 'Manage volumes', inputSchema: object({ action: { type: 'string' } }) }, 'Destructive'],
    [{ name: 'storage-volume', description: 'Manage volumes', inputSchema: object({ action: { type: 'string', enum: ['list', 'create'] } }) }, 'Write'],
    // Subscribing to notifications is not a purchase; subscribing to a plan is.
    [{ name: 'watch_card', description: 'Subscribe or unsubscribe from watching a card for notifications' }, 'Read'],
    [{ name: 'subscribe', description: 'Subscribe the customer to a paid plan' }, 'Financial'],
    // Only the server's annotations speak: an explicit destructiveHint is the cautious answer. (Rebuilding a droplet
    // now speaks for itself: it replaces the disk, as labelled, so the name here states no action.)
    [{ name: 'droplet-by-slug', annotations: { readOnlyHint: false, destructiveHint: true } }, 'Destructive'],
    [{ name: 'droplet-by-slug', annotations: { readOnlyHint: false, destructiveHint: false } }, 'Write'],
    [{ name: 'droplet-rebuild-by-slug', annotations: { readOnlyHint: false, destructiveHint: false } }, 'Destructive'],
    // Verbs a database tool uses: alter, run a SELECT, scrape and crawl.
    [{ name: 'alter_view' }, 'Write'],
    [{ name: 'run_select_query' }, 'Read'],
    [{ name: 'crawl_webpages' }, 'Read'],
    [{ name: 'generate_deeplink' }, 'Read'],
  ] as const)('second round: %j → %s', (tool, expected) => {
    expect(classifyTool(tool as Parameters<typeof classifyTool>[0]).category).toBe(expected);
  });

  it('quotes the evidence that lost, and why', () => {
    // (Round 12: a name that creates a phone number is Financial by itself, so the name here creates a line.)
    const result = classifyTool({ name: 'CreateIncomingLine', description: 'Purchase a phone-number for the account.' });
    expect(result.evidence[0]).toBe('description says "Purchase a" → Financial');
    expect(result.overruled).toEqual(['name: verb "create" → Write (raised: description says "Purchase a" is riskier)']);
  });

  it('marks weak evidence for review instead of defaulting silently', () => {
    expect(classifyTool({ name: 'frobnicate' }).needsReview).toBe('no evidence of what it does');
    expect(classifyTool({ name: 'widget', annotations: { readOnlyHint: false } }).needsReview).toBe('only the server’s annotations say what it does');
    expect(classifyTool({ name: 'update_server', description: 'Update a server; takes effect after its next backup' }).needsReview).toMatch(/^classed Write, but it mentions "backup"/);
    expect(classifyTool({ name: 'create_issue', description: 'Create an issue.' }).needsReview).toBeUndefined();
  });
});

// Third round (docs/dev/catalog-classifier.md, step 14): tools invented to probe kinds from the issue's list that
// still failed, with wording unlike any corpus tool, and counter-examples that must keep their class. Each case
// checks the class and that the deciding evidence quotes what decided it.
describe('classifyTool: fresh probes of the issue\'s kinds', () => {
  const object = (properties: Record<string, unknown>) => ({ type: 'object', properties });
  const text = { type: 'string' };
  const flag = { type: 'boolean' };

  describe('a query tool that says it is read-only is Read, also when its name says "sql" or "query"', () => {
    it.each([
      [{ name: 'postgres_readonly', description: 'Execute a read-only SQL statement against Postgres.', inputSchema: object({ sql: text }) }, 'Read', /^description says "read-only" → Read$/],
      [{ name: 'cypher_query', description: 'Runs a read only Cypher query on the graph.', inputSchema: object({ cypher: text }) }, 'Read', /^description says "read only" → Read$/],
      [{ name: 'sql', description: 'Query the warehouse. The connection is read-only.', inputSchema: object({ query: text }), annotations: { readOnlyHint: true } }, 'Read', /^description says "read-only" → Read$/],
      [{ name: 'execute_sql', description: 'Execute a read-only SQL statement.', inputSchema: object({ statement: text }) }, 'Read', /^description says "read-only" → Read$/],
      // Counter-examples: the schema allows writing, the claim is denied, the code is not a query, or the tool only reads.
      [{ name: 'sql_readonly', description: 'Run a read-only SQL query.', inputSchema: object({ query: text, allow_write: flag }) }, 'Execute', /^name: code noun "sql" → Execute$/],
      [{ name: 'sql', description: 'Run SQL. Read-only unless write is set.', inputSchema: object({ query: text, write: flag }) }, 'Execute', /^name: code noun "sql" → Execute$/],
      [{ name: 'run_sql', description: 'Run a read-only SQL query.', inputSchema: object({ sql: text, access: { type: 'string', enum: ['read', 'read-write'] } }) }, 'Execute', /^name: verb "run" → Execute$/],
      [{ name: 'execute_sql', description: 'Execute a SQL statement (not read-only).', inputSchema: object({ sql: text }) }, 'Execute', /^name: verb "execute" → Execute$/],
      [{ name: 'sandbox', description: 'Run Python code in a read-only sandbox.', inputSchema: object({ code: text }) }, 'Execute', /^description leads with "Run Python code/],
      [{ name: 'list_query_history', description: 'List recent queries run against the warehouse.', inputSchema: object({ limit: { type: 'integer' } }) }, 'Read', /^name: verb "list" → Read$/],
    ] as const)('%j → %s', (tool, expected, deciding) => {
      probe(tool as Parameters<typeof classifyTool>[0], expected, deciding);
    });

    it('quotes the schema switch that keeps a read-only query tool Execute, and asks for review of the claim', () => {
      const switched = classifyTool({ name: 'sql_readonly', description: 'Run a read-only SQL query.', inputSchema: object({ query: text, allow_write: flag }) });
      expect(switched.overruled).toContain('description says "read-only" → Read (its schema allows more: flag "allow_write")');
      const claimed = classifyTool({ name: 'sql_readonly', description: 'Run a read-only SQL query.', inputSchema: object({ query: text }) });
      expect(claimed.overruled[0]).toBe('name: code noun "sql" → Execute (the description says "read-only", and nothing in the schema allows more)');
      expect(claimed.needsReview).toMatch(/read-only: check the server enforces it/);
    });
  });

  describe('input to a running terminal, shell or REPL is Execute', () => {
    it.each([
      [{ name: 'pty_write', description: 'Write bytes to an open pseudo-terminal.', inputSchema: object({ id: text, data: text }) }, 'Execute', /^name: "write" to a "pty", input a running interpreter runs → Execute$/],
      [{ name: 'send_to_repl', description: 'Submit a line to the running Python REPL and return what it prints.', inputSchema: object({ repl: text, line: text }) }, 'Execute', /^name: "send" to a "repl"/],
      [{ name: 'write_stdin', description: 'Writes data to the standard input of a running process.', inputSchema: object({ pid: { type: 'integer' }, data: text }) }, 'Execute', /^name: "write" to a "stdin"/],
      [{ name: 'shell_type', description: 'Type characters into the interactive shell.', inputSchema: object({ chars: text }) }, 'Execute', /^name: "type" to a "shell", .* \(after the prefix "shell"\) → Execute$/],
      [{ name: 'session_keys', title: 'Send keys to a shell', description: 'Send keys to a tmux pane running a shell.', inputSchema: object({ target: text, keys: text }), annotations: { readOnlyHint: false } }, 'Execute', /^title "Send keys to a shell": "send" to a "shell"/],
      [{ name: 'console_input', description: 'Types text into an interactive console session.', inputSchema: object({ consoleId: text, text }) }, 'Execute', /^description says "Types text into an interactive console" → Execute$/],
      // Counter-examples: messages, page input, a file written through a shell, something about a terminal that is not its input.
      [{ name: 'send_message', description: 'Send a message to a channel.', inputSchema: object({ channel: text, text }) }, 'Write', /^name: verb "send" → Write$/],
      [{ name: 'send_keys', description: 'Sends keystrokes to a page element.', inputSchema: object({ selector: text, keys: text }) }, 'Write', /^name: verb "send" → Write$/],
      [{ name: 'type_text', description: 'Type text into the focused input field of the page.', inputSchema: object({ selector: text, text }) }, 'Write', /^name: verb "type" → Write$/],
      [{ name: 'shell_write_file', description: 'Write a file through the shell.', inputSchema: object({ path: text, content: text }) }, 'Write', /^name: verb "write" \(after the prefix "shell"\) → Write$/],
      [{ name: 'write_console_log', description: 'Write a line of text to the console log.', inputSchema: object({ text }) }, 'Write', /^name: verb "write" → Write$/],
      [{ name: 'terminal_resize', description: 'Resize a terminal session.', inputSchema: object({ rows: { type: 'integer' }, cols: { type: 'integer' } }) }, 'Write', /^name: verb "resize" → Write$/],
      [{ name: 'read_terminal', description: 'Read the latest output of a terminal session.', inputSchema: object({ session: text }) }, 'Read', /^name: verb "read" → Read$/],
    ] as const)('%j → %s', (tool, expected, deciding) => {
      probe(tool as Parameters<typeof classifyTool>[0], expected, deciding);
    });
  });

  describe('changing the capacity of billed infrastructure is Financial', () => {
    const int = { type: 'integer' };
    it.each([
      [{ name: 'set_node_count', description: 'Set how many nodes a node pool runs.', inputSchema: object({ pool: text, count: int }) }, 'Financial', /^name: "node count" → Financial$/],
      [{ name: 'update_replicas', description: 'Update the replica count of a database cluster.', inputSchema: object({ cluster: text, replicaCount: int }) }, 'Financial', /^parameter "replicaCount" sets a number of replica → Financial$/],
      [{ name: 'set_autoscaling', description: 'Configure autoscaling limits for a worker group.', inputSchema: object({ group: text, minInstances: int, maxInstances: int }) }, 'Financial', /^parameter "minInstances" sets a number of instances → Financial$/],
      [{ name: 'update_service', description: 'Update a service.', inputSchema: object({ service: text, settings: object({ numInstances: int }) }) }, 'Financial', /^parameter "numInstances"/],
      [{ name: 'modify_instance', description: 'Change an instance to another machine type.', inputSchema: object({ instance: text, machineType: text }) }, 'Financial', /^parameter "machineType" sets the machine's size → Financial$/],
      [{ name: 'change_compute_size', description: 'Change the compute size of a branch endpoint.', inputSchema: object({ endpoint: text, computeUnits: { type: 'number' } }) }, 'Financial', /^parameter "computeUnits" sets the compute size → Financial$/],
      [{ name: 'resize_disk', description: 'Resize a persistent disk.', inputSchema: object({ disk: text, size: { type: 'integer', description: 'New size in GB' } }) }, 'Financial', /^parameter "size" sets a storage size → Financial$/],
      [{ name: 'configure_database', description: 'Change settings of a managed database.', inputSchema: object({ db: text, tier: text }) }, 'Financial', /^parameter "tier" sets the tier of infrastructure → Financial$/],
      [{ name: 'edit_pool', description: 'Change the number of nodes in a pool.', inputSchema: object({ pool: text, value: int }) }, 'Financial', /^description says "number of nodes" → Financial$/],
      // Scaling a workload stays Destructive (it can scale to zero); both are Critical.
      [{ name: 'scale_instances', description: 'Scale the service to the given number of instances.', inputSchema: object({ service: text, instances: int }) }, 'Destructive', /^name: verb "scale" → Destructive$/],
      // Counter-examples: pictures and text boxes, page sizes, a customer's tier, rates and timeouts named after a unit, reading a count.
      [{ name: 'resize_image', description: 'Resize an image to the given width and height.', inputSchema: object({ image: text, width: int, height: int }) }, 'Write', /^name: verb "resize" → Write$/],
      [{ name: 'scale_image', description: 'Scale an image by a factor.', inputSchema: object({ image: text, factor: { type: 'number' } }) }, 'Write', /^name: "scale" of "image", which is only shown → Write$/],
      [{ name: 'resize_textbox', description: 'Change the size of a text box.', inputSchema: object({ box: text, size: int }) }, 'Write', /^name: verb "resize" → Write$/],
      [{ name: 'set_page_size', description: 'Set the number of results per page.', inputSchema: object({ pageSize: int }) }, 'Write', /^name: verb "set" → Write$/],
      [{ name: 'update_customer', description: 'Update a customer record.', inputSchema: object({ customer: text, tier: text }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'set_cpu_throttling', description: 'Emulate a slower CPU in the page.', inputSchema: object({ cpuThrottlingRate: int }) }, 'Write', /^name: verb "set" → Write$/],
      [{ name: 'create_call', description: 'Place a phone call.', inputSchema: object({ to: text, machineDetectionTimeout: int }) }, 'Write', /^name: verb "create" → Write$/],
      [{ name: 'get_node_pool', description: 'Show a node pool and its node count.', inputSchema: object({ pool: text }) }, 'Read', /^name: verb "get" → Read$/],
    ] as const)('%j → %s', (tool, expected, deciding) => {
      probe(tool as Parameters<typeof classifyTool>[0], expected, deciding);
    });
  });

  describe('other kinds from the issue\'s list, fresh wording', () => {
    it.each([
      // Billed resources without "pay": seats and GPUs are billed units; renting is paying.
      [{ name: 'add_seats', description: 'Add seats to the team subscription.', inputSchema: object({ seats: { type: 'integer' } }) }, 'Financial', /^parameter "seats" sets a number of seats → Financial$/],
      [{ name: 'create_gpu_instance', description: 'Launch a GPU instance.', inputSchema: object({ gpuType: text, region: text }) }, 'Financial', /^parameter "gpuType" sets the gpu's size → Financial$/],
      [{ name: 'rent_number', description: 'Rent a phone number.', inputSchema: object({ country: text }) }, 'Financial', /^name: verb "rent" → Financial$/],
      // Applying schema changes is DDL.
      [{ name: 'apply_schema', description: 'Apply schema changes to the database.', inputSchema: object({ changes: text }) }, 'Execute', /^name: verb "apply" → Execute$/],
      [{ name: 'apply_label', description: 'Apply a label to an issue.', inputSchema: object({ label: text }) }, 'Write', /^name: "apply" of "label" → Write$/],
      // A flag that erases is destructive.
      [{ name: 'update_record', description: 'Update a record.', inputSchema: object({ id: text, replaceAll: { type: 'boolean', description: 'Erase fields not given' } }) }, 'Destructive', /^flag "replaceAll" \("Erase fields not given"\) → Destructive$/],
      // Opening a URL navigates; opening a file reads.
      [{ name: 'open_url', description: 'Open a URL in the browser.', inputSchema: object({ url: text }) }, 'Write', /^name: "open" of a "url", which navigates → Write$/],
      [{ name: 'open_file', description: 'Open a file and return its contents.', inputSchema: object({ path: text }) }, 'Read', /^name: verb "open" → Read$/],
    ] as const)('%j → %s', (tool, expected, deciding) => {
      probe(tool as Parameters<typeof classifyTool>[0], expected, deciding);
    });
  });

  describe('arbitrary API or HTTP requests are Execute', () => {
    const method = (values?: string[]) => (values ? { type: 'string', enum: values } : text);
    it.each([
      [{ name: 'api_call', description: 'Call any endpoint of the REST API.', inputSchema: object({ method: method(['GET', 'POST', 'PUT', 'DELETE']), endpoint: text, payload: { type: 'object' } }) }, 'Execute', /^description says "Call any endpoint" → Execute$/],
      [{ name: 'raw_request', description: 'Make a raw authenticated request to the platform API.', inputSchema: object({ target: text, data: { type: 'object' } }) }, 'Execute', /^description says "raw authenticated request to the platform API" → Execute$/],
      [{ name: 'graphql', description: 'Send an arbitrary GraphQL request to the API.', inputSchema: object({ document: text, variables: { type: 'object' } }) }, 'Execute', /^description says "arbitrary GraphQL request to the API" → Execute$/],
      [{ name: 'rest_request', description: 'Sends a request to the service and returns the response.', inputSchema: object({ method: method(), url: text, body: text }) }, 'Execute', /^parameters "method" \(any HTTP method\) and "url" \(any path or URL\) → Execute$/],
      [{ name: 'http_request', description: 'Send an HTTP request to the API.', inputSchema: object({ http_method: method(), route: text }), annotations: { readOnlyHint: false } }, 'Execute', /^parameters "http_method" \(any HTTP method\) and "route"/],
      [{ name: 'fetch', description: 'Fetch a URL.', inputSchema: object({ url: text, method: method(['GET', 'POST']) }) }, 'Execute', /^parameters "method" \(HTTP method "POST"\)/],
      // Counter-examples: only reading methods, a tool that configures a URL and a method, a request that is not HTTP.
      [{ name: 'http_fetch', description: 'Fetch a web page and return its text.', inputSchema: object({ url: text, method: method(['GET', 'HEAD']) }) }, 'Read', /^name: verb "fetch" → Read$/],
      [{ name: 'create_webhook', description: 'Create a webhook that calls your URL.', inputSchema: object({ url: text, method: method(['POST', 'PUT']) }) }, 'Write', /^name: verb "create" → Write$/],
      [{ name: 'update_call', description: 'Redirect a live call to another URL.', inputSchema: object({ callId: text, url: text, method: method() }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'login', description: 'Log in. Call this before any API call.', inputSchema: object({ user: text }) }, 'Write', /^name: verb "login" → Write$/],
      [{ name: 'send_friend_request', description: 'Send a friend request to a user.', inputSchema: object({ user: text }) }, 'Write', /^name: verb "send" → Write$/],
      [{ name: 'api_get', description: 'GET any path of the API.', inputSchema: object({ path: text }) }, 'Read', /^name: verb "get" → Read$/],
    ] as const)('%j → %s', (tool, expected, deciding) => {
      probe(tool as Parameters<typeof classifyTool>[0], expected, deciding);
    });
  });
});

// Fourth round (docs/dev/catalog-classifier.md, section 15): nine new servers labelled and measured untouched,
// then each kind of miss probed with invented tools (other names, verbs, nouns) and counter-examples first.
describe('classifyTool: fresh probes of the fourth round\'s kinds', () => {
  const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
  const text = { type: 'string' };
  const int = { type: 'integer' };

  describe('a description that says the created or changed thing is billed is Financial', () => {
    it.each([
      [{ name: 'create_instance', description: 'Create a virtual machine. Billable from the moment it boots until it is destroyed.', inputSchema: object({ name: text }) }, 'Financial', /billed → Financial$/],
      [{ name: 'add_volume', description: 'Adds block storage to the project. This creates a billable resource that keeps incurring storage charges until deleted.', inputSchema: object({ name: text }) }, 'Financial', /billed → Financial$/],
      [{ name: 'new_worker_pool', description: 'Start a pool of GPU workers, billed by the hour.', inputSchema: object({ pool: text }) }, 'Financial', /"billed by the/],
      [{ name: 'update_cache_cluster', description: 'Update a cache cluster. Changes incur additional charges on the next invoice cycle.', inputSchema: object({ id: text }) }, 'Financial', /billed → Financial$/],
      // Counter-examples: reading bills, billable hours of a timesheet, a billing address, a free resource.
      [{ name: 'list_billing_history', description: 'List the billable usage of every resource by day.', inputSchema: object({ days: int }) }, 'Read', /^name: verb "list" → Read$/],
      [{ name: 'create_time_entry', description: 'Create a time entry; set billable to mark billable hours.', inputSchema: object({ hours: int, billable: { type: 'boolean' } }) }, 'Write', /^name: verb "create" → Write$/],
      [{ name: 'create_sandbox_project', description: 'Create a project on the free tier; nothing is billed.', inputSchema: object({ name: text }) }, 'Write', /^name: verb "create" → Write$/],
    ] as const)('%j → %s', (tool, expected, deciding) => {
      probe(tool as Parameters<typeof classifyTool>[0], expected, deciding);
    });
  });

  describe('parameters behind a local $ref are read like inline ones', () => {
    it.each([
      [{ name: 'update_node_group', description: 'Update a node group.', inputSchema: object({ id: text, body: { $ref: '#/$defs/Body' } }, { $defs: { Body: object({ nodeCount: int }) } }) }, 'Financial', /nodeCount/],
      [{ name: 'edit_disk', description: 'Edit a disk.', inputSchema: object({ body: { $ref: '#/definitions/Disk' } }, { definitions: { Disk: object({ sizeGb: int }) } }) }, 'Financial', /sizeGb/],
      [{ name: 'change_vm', description: 'Change a VM.', inputSchema: object({ body: { $ref: '#/$defs/Req' } }, { $defs: { Req: object({ action: { $ref: '#/$defs/Action' } }), Action: { type: 'string', enum: ['start', 'stop', 'destroy'] } } }) }, 'Destructive', /destroy/],
      // Counter-examples: a reference to an ordinary record, a reference that loops, an external reference.
      [{ name: 'update_contact', description: 'Update a contact.', inputSchema: object({ body: { $ref: '#/$defs/Contact' } }, { $defs: { Contact: object({ email: text, phone: text }) } }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'update_tree', description: 'Update a tree of notes.', inputSchema: object({ root: { $ref: '#/$defs/Node' } }, { $defs: { Node: object({ title: text, children: { type: 'array', items: { $ref: '#/$defs/Node' } } }) } }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'update_item', description: 'Update an item.', inputSchema: object({ body: { $ref: 'https://example.invalid/schema.json' } }) }, 'Write', /^name: verb "update" → Write$/],
    ] as const)('%j → %s', (tool, expected, deciding) => {
      probe(tool as Parameters<typeof classifyTool>[0], expected, deciding);
    });
  });

  describe('confirming, placing or submitting an order or a trade is Financial', () => {
    it.each([
      [{ name: 'confirm_trade', description: 'Confirm a pending trade.', inputSchema: object({ tradeId: text }) }, 'Financial', /"confirm" of an? "trade"/],
      [{ name: 'submit_order', description: 'Submit an order to the exchange.', inputSchema: object({ symbol: text, quantity: int }) }, 'Financial', /"submit" of an? "order"/],
      [{ name: 'place_trade', description: 'Places a market trade.', inputSchema: object({ symbol: text }) }, 'Financial', /"place" of an? "trade"/],
      [{ name: 'place_limit_buy_order', description: 'Places a limit buy order.', inputSchema: object({ symbol: text, price: { type: 'number' } }) }, 'Financial', /"place" of an? "order"/],
      // Counter-examples: confirming an email, submitting a form, reading orders, a work order.
      [{ name: 'confirm_email', description: 'Confirm the user\'s email address.', inputSchema: object({ token: text }) }, 'Write', /^name: verb "confirm" → Write$/],
      [{ name: 'submit_form', description: 'Submit the form on the page.', inputSchema: object({ selector: text }) }, 'Write', /^name: verb "submit" → Write$/],
      [{ name: 'get_order_status', description: 'Get the status of an order.', inputSchema: object({ orderId: text }) }, 'Read', /^name: verb "get" → Read$/],
      [{ name: 'submit_work_order', description: 'Submit a maintenance work order for a machine.', inputSchema: object({ machine: text }) }, 'Write', /^name: verb "submit" → Write$/],
    ] as const)('%j → %s', (tool, expected, deciding) => {
      probe(tool as Parameters<typeof classifyTool>[0], expected, deciding);
    });
  });

  describe('retrying or rerunning a job runs it again (Execute)', () => {
    it.each([
      [{ name: 'retry_build', description: 'Retry a failed build.', inputSchema: object({ buildId: text }) }, 'Execute', /"retry" of "build"/],
      [{ name: 'job_retry', description: 'Requeue a failed job so it runs again.', inputSchema: object({ id: text }) }, 'Execute', /"retry" of "job"/],
      [{ name: 'retry_pipeline', description: 'Retry the pipeline.', inputSchema: object({ id: text }) }, 'Execute', /"retry" of "pipeline"/],
      // Counter-examples: retrying a delivery or a message sends it again; a payment is money.
      [{ name: 'retry_webhook_delivery', description: 'Retry a failed webhook delivery.', inputSchema: object({ id: text }) }, 'Write', /^name: verb "retry" → Write$/],
      [{ name: 'retry_payment', description: 'Retry a failed payment.', inputSchema: object({ id: text }) }, 'Financial', /payment/],
    ] as const)('%j → %s', (tool, expected, deciding) => {
      probe(tool as Parameters<typeof classifyTool>[0], expected, deciding);
    });
  });

  describe('page interactions and transient browser state are Write; a page rendered to a file is Read', () => {
    it.each([
      [{ name: 'tick_checkbox', description: 'Tick a checkbox.', inputSchema: object({ selector: text }) }, 'Write', /^description says "Tick a checkbox", a page interaction → Write$/],
      [{ name: 'page_check', description: 'Check a radio button or checkbox in the page.', inputSchema: object({ selector: text }) }, 'Write', /^description says "Check a radio button", a page interaction → Write$/],
      [{ name: 'clear_cookies', description: 'Clear all cookies of the browser context.', inputSchema: object({}) }, 'Write', /"clear" of "cookies"/],
      [{ name: 'clear_browser_cache', description: 'Clears the browser cache.', inputSchema: object({}) }, 'Write', /"clear" of "cache"/],
      [{ name: 'wipe_console', description: 'Wipe the captured console messages from memory.', inputSchema: object({}) }, 'Write', /"wipe" of "console"/],
      [{ name: 'page_to_pdf', description: 'Render the current page as a PDF file.', inputSchema: object({ path: text }) }, 'Read', /pdf/i],
      [{ name: 'page_pdf', description: 'Generate a PDF of the current page.', inputSchema: object({ path: text }) }, 'Read', /^description leads with "Generate a PDF of the current page." → Read$/],
      [{ name: 'discover_fields', description: 'Discover the fields an object type has.', inputSchema: object({ type: text }) }, 'Read', /^name: verb "discover" → Read$/],
      // Counter-examples: checking a status reads; clearing a table or a database destroys; writing a PDF document writes.
      [{ name: 'check_status', description: 'Check the deployment status.', inputSchema: object({ id: text }) }, 'Read', /^name: verb "check" → Read$/],
      [{ name: 'clear_table', description: 'Clear all rows of a table.', inputSchema: object({ table: text }) }, 'Destructive', /^name: verb "clear" → Destructive$/],
      [{ name: 'wipe_disk', description: 'Wipe a disk.', inputSchema: object({ disk: text }) }, 'Destructive', /^name: verb "wipe" → Destructive$/],
      [{ name: 'write_pdf', description: 'Create or modify a PDF document from markdown.', inputSchema: object({ path: text, content: text }) }, 'Write', /^name: verb "write" → Write$/],
    ] as const)('%j → %s', (tool, expected, deciding) => {
      probe(tool as Parameters<typeof classifyTool>[0], expected, deciding);
    });
  });

  describe('second pass: composed schemas, capacity objects, images, whole-set replacement, jobs, managing', () => {
    const number = { type: 'number' };
    it.each([
      // Members of allOf in a wrapper are set by the call too; a count inside a capacity object (`workers.max`) is a count.
      [{ name: 'update_service', description: 'Update a service.', inputSchema: object({ id: text, spec: { allOf: [object({ name: text }), object({ nodes: object({ min: int, max: int }) })] } }) }, 'Financial', /^parameter "nodes\.min" sets a number of nodes → Financial$/],
      [{ name: 'patch_cluster', description: 'Patch a cluster.', inputSchema: object({ id: text, gpu: object({ count: int }) }) }, 'Financial', /^parameter "gpu\.count" sets a number of gpu → Financial$/],
      // Counter-example: a page size inside an options object is not capacity.
      [{ name: 'update_view', description: 'Update a saved view.', inputSchema: object({ id: text, paging: object({ max: int, size: int }) }) }, 'Write', /^name: verb "update" → Write$/],
      // Changing the image a container, pod or service runs deploys that image.
      [{ name: 'update_container', description: 'Update a container\'s settings.', inputSchema: object({ id: text, image: text, env: object({}) }) }, 'Execute', /^parameter "image" sets the image of a "container", which deploys it → Execute$/],
      [{ name: 'set_service_image', description: 'Point a service at another image tag.', inputSchema: object({ service: text, imageTag: text }) }, 'Execute', /image/],
      // Counter-examples: a profile picture, a product photo.
      [{ name: 'update_profile', description: 'Update the user profile.', inputSchema: object({ name: text, image: text }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'update_product', description: 'Update a product.', inputSchema: object({ title: text, image: text }) }, 'Write', /^name: verb "update" → Write$/],
      // Replacing a whole set removes what is not sent.
      [{ name: 'set_allowed_ips', description: 'Replaces the full list of allowed IP addresses. Addresses not present in the request are removed.', inputSchema: object({ ips: { type: 'array', items: text } }) }, 'Destructive', /not present in the request are removed|full list/],
      [{ name: 'put_members', description: 'Replace the entire set of team members with the given list.', inputSchema: object({ members: { type: 'array', items: text } }) }, 'Destructive', /entire set/],
      // Counter-examples: a partial update that leaves omitted fields alone; replacing one value.
      [{ name: 'update_settings', description: 'Partially update settings; omitted fields are left untouched.', inputSchema: object({ theme: text }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'replace_text', description: 'Replace a phrase in the document with another.', inputSchema: object({ find: text, replace: text }) }, 'Write', /^name: verb "replace" → Write$/],
      // Submitting or queueing a job runs it.
      [{ name: 'submit_job', description: 'Submit a batch job to the queue.', inputSchema: object({ input: object({}) }) }, 'Execute', /"submit" of "job"/],
      [{ name: 'enqueue_build', description: 'Queue a build of the branch.', inputSchema: object({ branch: text }) }, 'Execute', /"build"/],
      // Counter-example: a job posting is a record.
      [{ name: 'submit_job_application', description: 'Submit an application for a job posting.', inputSchema: object({ posting: text, cv: text }) }, 'Write', /^name: verb "submit" → Write$/],
      // An action enum value that creates a server or an instance, with where and what size: billed infrastructure.
      [{ name: 'cloud', description: 'Cloud provider operations.', inputSchema: object({ action: { type: 'string', enum: ['list_regions', 'list_sizes', 'create_instance'] }, region: text, size: text }) }, 'Financial', /create_instance/],
      // Counter-example: creating a record with a region.
      [{ name: 'contacts', description: 'Contact operations.', inputSchema: object({ action: { type: 'string', enum: ['list', 'create_contact'] }, region: text, size: number }) }, 'Write', /"create_contact"/],
      // A "manage" tool whose description lists no operation and whose annotation says read-only: changing, not Read.
      [{ name: 'manage-members', description: 'Manage team memberships with flexible modes, auto-detected from the parameters.', inputSchema: object({ teamId: text, userId: text, role: text }), annotations: { readOnlyHint: true } }, 'Write', /manage/i],
      // Counter-example: a plain reading tool with the same annotation stays Read.
      [{ name: 'members', description: 'Team memberships.', inputSchema: object({ teamId: text }), annotations: { readOnlyHint: true } }, 'Read', /readOnlyHint: true → Read$/],
    ] as const)('%j → %s', (tool, expected, deciding) => {
      probe(tool as Parameters<typeof classifyTool>[0], expected, deciding);
    });
  });
});

// Fifth round (docs/dev/catalog-classifier.md, section 16): seven new servers labelled and measured untouched,
// then each kind of miss probed with invented tools (other names, verbs, nouns) and counter-examples first.
/** Schema builders and a table runner for the probe blocks of the fifth and sixth rounds. */
const probeSchema = {
  object: (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra }),
  text: { type: 'string' },
  int: { type: 'integer' },
  num: { type: 'number' },
  bool: { type: 'boolean' },
};
const probeCases = (list: ReadonlyArray<readonly [unknown, string, RegExp]>) =>
  it.each(list)('%j → %s', (tool, expected, deciding) => {
    probe(tool as Parameters<typeof classifyTool>[0], expected, deciding);
  });

describe('classifyTool: fresh probes of the fifth round\'s kinds', () => {
  const { object, text, int, num, bool } = probeSchema;
  const cases = probeCases;

  describe('a spending limit or a budget set by a changing tool is Financial', () => {
    cases([
      [{ name: 'update_spending_limits', description: 'Update spending limits.', inputSchema: object({ maxMonthlySpend: num }) }, 'Financial', /"maxMonthlySpend" sets a spend/],
      [{ name: 'update_campaign', description: 'Update an ad campaign.', inputSchema: object({ campaign_id: text, daily_budget: int }) }, 'Financial', /"daily_budget" sets a spend/],
      [{ name: 'set_account_cap', description: 'Set the account cap.', inputSchema: object({ account: text, spend_cap: num }) }, 'Financial', /"spend_cap" sets a spend/],
      [{ name: 'edit_ad_set', description: 'Edit an ad set.', inputSchema: object({ id: text, lifetimeBudget: int, name: text }) }, 'Financial', /"lifetimeBudget" sets a spend/],
      // Counter-examples: a rate limit, an error budget, a token budget, reading a budget.
      [{ name: 'set_rate_limit', description: 'Set the rate limit.', inputSchema: object({ maxRequests: int }) }, 'Write', /^name: verb "set" → Write$/],
      [{ name: 'update_slo', description: 'Update a service level objective.', inputSchema: object({ id: text, errorBudget: num }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'configure_agent', description: 'Configure the agent.', inputSchema: object({ tokenBudget: int, timeBudgetMs: int }) }, 'Write', /^name: verb "configure" → Write$/],
      [{ name: 'get_spending_limits', description: 'Get spending limits.', inputSchema: object({ teamId: text }) }, 'Read', /^name: verb "get" → Read$/],
    ]);
  });

  describe('a changing tool that takes a confirmation of its cost is Financial', () => {
    cases([
      [{ name: 'create_project', description: 'Creates a new project in an organization.', inputSchema: object({ name: text, confirm_cost_id: text }) }, 'Financial', /"confirm_cost_id" confirms a cost/],
      [{ name: 'create_branch', description: 'Creates a branch database. Use its ID to execute queries on it.', inputSchema: object({ name: text, confirm_cost_id: text }) }, 'Financial', /"confirm_cost_id" confirms a cost/],
      [{ name: 'add_cluster', description: 'Add a cluster.', inputSchema: object({ name: text, costConfirmation: text }) }, 'Financial', /"costConfirmation" confirms a cost/],
      [{ name: 'upgrade_workspace', description: 'Move the workspace to another tier.', inputSchema: object({ tier: text, acknowledge_charges: bool }) }, 'Financial', /"acknowledge_charges" confirms a cost/],
      // Counter-examples: a confirmation that is not of a cost, a cost centre, a cost estimate that is only read.
      [{ name: 'create_task', description: 'Create a task.', inputSchema: object({ title: text, confirm: bool, cost_center: text }) }, 'Write', /^name: verb "create" → Write$/],
      [{ name: 'get_cost', description: 'Gets the cost of creating a new project.', inputSchema: object({ type: text, confirm_cost_id: text }) }, 'Read', /^name: verb "get" → Read$/],
    ]);
  });

  describe('a changing tool whose description says it runs migrations is Execute', () => {
    cases([
      [{ name: 'merge_branch', description: 'Merges migrations and edge functions from a development branch to production.', inputSchema: object({ branch_id: text }) }, 'Execute', /migrations/],
      [{ name: 'rebase_branch', description: 'Rebases a development branch on production. This will effectively run any newer migrations from production onto this branch.', inputSchema: object({ branch_id: text }) }, 'Execute', /migrations/],
      [{ name: 'sync_schema', description: 'Applies pending migrations to the staging database.', inputSchema: object({ env: text }) }, 'Execute', /migrations/],
      [{ name: 'promote_environment', description: 'Promote staging to production, running its database migrations.', inputSchema: object({ env: text }) }, 'Execute', /migrations/],
      // Counter-examples: listing or describing migrations, a change that names migrations without running them.
      [{ name: 'list_migrations', description: 'Lists all migrations in the database.', inputSchema: object({ project: text }) }, 'Read', /^name: verb "list" → Read$/],
      [{ name: 'describe_migration', description: 'Show the SQL a migration would run.', inputSchema: object({ id: text }) }, 'Read', /^name: verb "describe" → Read$/],
      [{ name: 'update_branch', description: 'Update a branch name. Migrations are not touched.', inputSchema: object({ id: text, name: text }) }, 'Write', /^name: verb "update" → Write$/],
    ]);
  });

  describe('a statement tool whose description lists the SQL statements it runs is Execute, not Destructive', () => {
    cases([
      [{ name: 'execute', description: 'Run a data-modifying SQL statement (INSERT/UPDATE/DELETE or DDL).', inputSchema: object({ sql: text, params: { type: 'array' } }) }, 'Execute', /"sql"|statement/],
      [{ name: 'write_query', description: 'Run INSERT, UPDATE or DELETE queries on the database.', inputSchema: object({ query: text }) }, 'Execute', /"query"|statement/],
      [{ name: 'run_statement', description: 'Execute a statement: select/insert/update/delete.', inputSchema: object({ statement: text }) }, 'Execute', /"statement"|statement/],
      // Counter-examples: rows changed through a structured call (no statement) stay Destructive.
      [{ name: 'manage_rows', description: 'Insert/update/delete rows in a table.', inputSchema: object({ table: text, rows: { type: 'array' } }) }, 'Destructive', /delete/],
      [{ name: 'delete_rows', description: 'Delete rows matching a filter.', inputSchema: object({ table: text, where: text }) }, 'Destructive', /delete/],
    ]);
  });

  describe('a call of any action of a cloud API is Execute', () => {
    cases([
      [{ name: 'callCloudApi', description: '通用的云 API 调用工具', inputSchema: object({ service: { type: 'string', enum: ['cvm', 'billing', 'cdb'] }, action: text, params: object({}), version: text }) }, 'Execute', /"action".*any/],
      [{ name: 'provider_api', description: 'Gateway to the provider API.', inputSchema: object({ operation: text, parameters: object({}) }) }, 'Execute', /"operation".*any/],
      [{ name: 'aws_call', description: 'Call an AWS service.', inputSchema: object({ service: text, action: text, input: object({}) }) }, 'Execute', /"action".*any/],
      // Counter-examples: calling a phone number, an API key, an API call restricted to reading.
      [{ name: 'call_contact', description: 'Place a phone call to a contact.', inputSchema: object({ phone: text, action: { type: 'string', enum: ['call', 'voicemail'] } }) }, 'Write', /Write$/],
      [{ name: 'create_api_key', description: 'Create an API key.', inputSchema: object({ name: text, params: object({}) }) }, 'Write', /^name: verb "create" → Write$/],
      [{ name: 'call_read_api', description: 'Call any Describe or List action of the API (read-only).', inputSchema: object({ action: text, params: object({}) }) }, 'Read', /Read$/],
    ]);
  });

  describe('a database product name is not code; rebuilding a data store destroys its data', () => {
    cases([
      [{ name: 'mariadb-rebuild', title: 'Rebuild MariaDB Database', description: 'Rebuilds a MariaDB database.', inputSchema: object({ id: text }) }, 'Destructive', /rebuild/],
      [{ name: 'mysql-rebuild', title: 'Rebuild MySQL Database', description: 'Rebuilds a MySQL database in the platform.', inputSchema: object({ mysqlId: text }) }, 'Destructive', /rebuild/],
      [{ name: 'rebuild_server', description: 'Rebuild a server from an image, reinstalling its disk.', inputSchema: object({ id: text, image: text }) }, 'Destructive', /rebuild/],
      [{ name: 'recreate_volume', description: 'Recreate a volume.', inputSchema: object({ id: text }) }, 'Destructive', /recreate/],
      [{ name: 'reinitialize_database', description: 'Reinitialize the database.', inputSchema: object({ name: text }) }, 'Destructive', /reinitialize/],
      // Counter-examples: a product name with another verb, thumbnails rebuilt, SQL that is code.
      [{ name: 'postgres-start', title: 'Start PostgreSQL Database', description: 'Starts a PostgreSQL database.', inputSchema: object({ id: text }) }, 'Write', /verb "start"/],
      [{ name: 'restart_mysql', description: 'Restart the MySQL service.', inputSchema: object({ host: text }) }, 'Write', /verb "restart"/],
      [{ name: 'rebuild_thumbnails', description: 'Rebuild the thumbnails of a gallery.', inputSchema: object({ gallery: text }) }, 'Write', /^name: verb "rebuild" → Write$/],
      [{ name: 'run_sql', description: 'Run a SQL query.', inputSchema: object({ sql: text }) }, 'Execute', /Execute$/],
    ]);
  });

  describe('"read-only" said in another language counts like English', () => {
    cases([
      [{ name: 'queryPgDatabase', description: '查询 PostgreSQL 数据库。支持执行只读 SQL。', inputSchema: object({ action: { type: 'string', enum: ['context', 'sql'] }, sql: text }) }, 'Read', /只读/],
      [{ name: 'consulta_sql', description: 'Ejecuta una consulta SQL de solo lectura.', inputSchema: object({ sql: text }) }, 'Read', /solo lectura/],
      [{ name: 'requete_sql', description: 'Exécute une requête SQL en lecture seule.', inputSchema: object({ sql: text }) }, 'Read', /lecture seule/],
      // Counter-examples: write SQL, a denied claim.
      [{ name: 'managePgDatabase', description: '管理 PostgreSQL：执行写入 SQL。', inputSchema: object({ sql: text }) }, 'Execute', /Execute$/],
      [{ name: 'querySql', description: '执行 SQL（非只读）。', inputSchema: object({ sql: text }) }, 'Execute', /Execute$/],
    ]);
  });

  describe('questions, lookups, suggestions and generated output returned to the caller are Read', () => {
    cases([
      [{ name: 'generate_typescript_types', description: 'Generates TypeScript types for a project.', inputSchema: object({ project_id: text }), annotations: { readOnlyHint: true } }, 'Read', /readOnlyHint|generate/],
      [{ name: 'generate_client_docs', description: 'Generate SDK docs for a model.', inputSchema: object({ model: text }), annotations: { readOnlyHint: true } }, 'Read', /readOnlyHint|generate/],
      [{ name: 'domain-generateDomain', description: 'Generates a suggested domain for a given application name.', inputSchema: object({ appName: text }) }, 'Read', /suggest/],
      [{ name: 'can_delete_user', description: 'Checks whether the current user may delete a user.', inputSchema: object({ userId: text }) }, 'Read', /"can …", a yes\/no question/],
      [{ name: 'isDomainAvailable', description: 'Whether a domain can be registered.', inputSchema: object({ domain: text }) }, 'Read', /"is …", a yes\/no question/],
      [{ name: 'user-canDeleteProject', description: 'Checks whether a user may delete a project.', inputSchema: object({ userId: text }) }, 'Read', /"can …", a yes\/no question/],
      [{ name: 'project_is_archived', description: 'Whether a project is archived.', inputSchema: object({ id: text }) }, 'Read', /"is …", a yes\/no question/],
      [{ name: 'domain-byComposeId', description: 'Retrieves all domains associated with a compose stack.', inputSchema: object({ composeId: text }) }, 'Read', /Read$/],
      [{ name: 'tasks_by_build_id', description: 'Lists the tasks of a build.', inputSchema: object({ buildId: text }) }, 'Read', /Read$/],
      // Counter-examples: generating a key or a password (no read-only hint), a changing verb before "by", "is" inside a word.
      [{ name: 'generate_api_key', description: 'Generate a new API key.', inputSchema: object({ name: text }), annotations: { readOnlyHint: false } }, 'Write', /verb "generate"/],
      [{ name: 'generate_password', description: 'Generate a password for a user and save it.', inputSchema: object({ user: text }) }, 'Write', /verb "generate"/],
      [{ name: 'delete_by_id', description: 'Delete a record by its ID.', inputSchema: object({ id: text }) }, 'Destructive', /verb "delete"/],
      [{ name: 'delete_is_draft', description: 'Delete the drafts of a user.', inputSchema: object({ user: text }) }, 'Destructive', /verb "delete"/],
      [{ name: 'isolate_host', description: 'Isolate a host from the network.', inputSchema: object({ host: text }) }, 'Write', /no action verb/],
    ]);
  });

  describe('an instance type chosen among engines or kinds is no size', () => {
    cases([
      [{ name: 'modifyDataModel', description: 'Create a data model from a class diagram.', inputSchema: object({ diagram: text, dbInstanceType: { type: 'string', enum: ['MYSQL', 'FLEXDB'] } }) }, 'Write', /^name: verb "modify" → Write$/],
      [{ name: 'update_database', description: 'Update a database.', inputSchema: object({ id: text, instance_type: { type: 'string', enum: ['postgres', 'mysql', 'mongo'] } }) }, 'Write', /^name: verb "update" → Write$/],
      // Counter-examples: sizes stay billed capacity.
      [{ name: 'update_server', description: 'Update a server.', inputSchema: object({ id: text, instance_type: { type: 'string', enum: ['t3.micro', 't3.large'] } }) }, 'Financial', /instance/],
      [{ name: 'update_vm', description: 'Update a VM.', inputSchema: object({ id: text, machineType: text }) }, 'Financial', /machine/],
      [{ name: 'update_node', description: 'Update a node.', inputSchema: object({ id: text, nodeType: { type: 'string', enum: ['small', 'medium', 'large'] } }) }, 'Financial', /node/],
    ]);
  });

  describe('cleaning queues and triggering a sync are Write', () => {
    cases([
      [{ name: 'application-cleanQueues', description: 'Cleans the queues for an application.', inputSchema: object({ applicationId: text }) }, 'Write', /"clean" of "queues"/],
      [{ name: 'clean_build_cache', description: 'Clean the build cache.', inputSchema: object({ project: text }) }, 'Write', /"clean" of "cache"/],
      [{ name: 'trigger_integration_sync', description: 'Trigger integration sync.', inputSchema: object({ integrationId: text }) }, 'Write', /"trigger" of "sync"/],
      [{ name: 'trigger_refresh', description: 'Trigger a refresh of the dataset.', inputSchema: object({ dataset: text }) }, 'Write', /"trigger" of "refresh"/],
      // Counter-examples: purging a queue, cleaning a database or a bucket, triggering a pipeline, a build or a function.
      [{ name: 'purge_queue', description: 'Purge all messages from a queue.', inputSchema: object({ queue: text }) }, 'Destructive', /purge/],
      [{ name: 'clean_database', description: 'Clean the database.', inputSchema: object({ db: text }) }, 'Destructive', /clean/],
      [{ name: 'trigger_pipeline', description: 'Trigger a pipeline.', inputSchema: object({ id: text }) }, 'Execute', /trigger/],
      [{ name: 'trigger_build', description: 'Trigger a build.', inputSchema: object({ id: text }) }, 'Execute', /trigger/],
      [{ name: 'trigger_function', description: 'Trigger a function.', inputSchema: object({ name: text }) }, 'Execute', /trigger/],
    ]);
  });

  describe('a dry run changes nothing', () => {
    cases([
      [{ name: 'deployPlan', description: '解析 cloudbaserc 并计算声明式部署计划（dry-run，不产生任何变更）。', inputSchema: object({ cwd: text }), annotations: { readOnlyHint: true } }, 'Read', /dry-run/],
      [{ name: 'deploy_preview_plan', description: 'Compute what a deploy would change (dry run); nothing is deployed.', inputSchema: object({ env: text }) }, 'Read', /dry run|nothing/],
      [{ name: 'migrate_dry_run', description: 'Show the SQL the pending migrations would run.', inputSchema: object({ env: text }) }, 'Read', /dry/],
      // Counter-examples: a dry run that can be switched off, a tool that applies a plan.
      [{ name: 'deploy', description: 'Deploy the app. Use dryRun to preview.', inputSchema: object({ app: text, dryRun: bool }) }, 'Execute', /deploy/],
      [{ name: 'apply_plan', description: 'Apply a saved plan.', inputSchema: object({ plan: text }) }, 'Execute', /Execute$/],
    ]);
  });
});

describe('classifyTool: fresh probes of the sixth round\'s kinds', () => {
  const { object, text, int, num } = probeSchema;
  const cases = probeCases;

  describe('an amount sent to a recipient, or a coin, token or NFT transferred, moves money', () => {
    cases([
      [{ name: 'transfer_tokens', description: 'Transfer tokens to a wallet.', inputSchema: object({ token_address: text, recipient: text, amount: text }) }, 'Financial', /Financial$/],
      [{ name: 'send_coins', description: 'Send coins to an address.', inputSchema: object({ to_address: text, quantity: num }) }, 'Financial', /Financial$/],
      [{ name: 'transferNft', description: 'Transfer an NFT to another owner.', inputSchema: object({ collection: text, tokenId: text, toAddress: text }) }, 'Financial', /Financial$/],
      [{ name: 'move_stablecoin', description: 'Move a stablecoin balance between accounts.', inputSchema: object({ from: text, to: text, amount: num }) }, 'Financial', /Financial$/],
      // Counter-examples: a domain, an issue, a call or ownership transferred; an amount that is no money sent.
      [{ name: 'transfer_domain', description: 'Transfer a domain to another account.', inputSchema: object({ domain: text, to_account: text }) }, 'Write', /Write$/],
      [{ name: 'transfer_issue', description: 'Move an issue to another project.', inputSchema: object({ issue: text, target_project: text }) }, 'Write', /Write$/],
      [{ name: 'transfer_call', description: 'Transfer an active call to a phone number.', inputSchema: object({ call_id: text, to: text }) }, 'Write', /Write$/],
      [{ name: 'send_reminder', description: 'Send a reminder to a user.', inputSchema: object({ to: text, amount: int }) }, 'Write', /Write$/],
      [{ name: 'transfer_repository', description: 'Transfer a repository to a new owner.', inputSchema: object({ repo: text, new_owner: text }) }, 'Write', /Write$/],
    ]);
  });

  describe('letting another party spend the wallet\'s funds, and any call of a contract, can move money', () => {
    cases([
      [{ name: 'approve_spender', description: 'Approve a spender to use your tokens.', inputSchema: object({ spender: text, amount: text }) }, 'Financial', /spend/],
      [{ name: 'set_allowance', description: 'Set the allowance of a contract over your tokens.', inputSchema: object({ spenderAddress: text, value: text }) }, 'Financial', /spend/],
      [{ name: 'contract_write', description: 'Call a state-changing function of a contract.', inputSchema: object({ address: text, abi: { type: 'array' }, method: text, params: { type: 'array' } }) }, 'Financial', /contract/],
      [{ name: 'invoke_contract_method', description: 'Sign and send a call to a contract method.', inputSchema: object({ contract: text, functionName: text, args: { type: 'array' }, abi: text }) }, 'Financial', /contract/],
      // Counter-examples: approving a pull request or a request, reading a contract.
      [{ name: 'approve_pull_request', description: 'Approve a pull request.', inputSchema: object({ id: text }) }, 'Write', /Write$/],
      [{ name: 'approve_access_request', description: 'Approve an access request.', inputSchema: object({ request_id: text, reviewer: text }) }, 'Write', /Write$/],
      [{ name: 'read_contract_state', description: 'Read a view function of a contract.', inputSchema: object({ address: text, abi: { type: 'array' }, functionName: text }) }, 'Read', /Read$/],
    ]);
  });

  describe('skipping or resuming a paid delivery changes what is charged', () => {
    cases([
      [{ name: 'skip_shipment', description: 'Skip the next shipment of a subscription box.', inputSchema: object({ date: text }) }, 'Financial', /Financial$/],
      [{ name: 'unskip_week', description: 'Unskip a delivery week.', inputSchema: object({ week: text }) }, 'Financial', /Financial$/],
      [{ name: 'pause_deliveries', description: 'Pause deliveries until a date.', inputSchema: object({ until: text }) }, 'Financial', /Financial$/],
      [{ name: 'resume_delivery', description: 'Resume a paused delivery plan.', inputSchema: object({ plan_id: text }) }, 'Financial', /Financial$/],
      // Counter-examples: a song, a test, a container, a notification.
      [{ name: 'skip_track', description: 'Skip to the next track.', inputSchema: object({ player: text }) }, 'Write', /Write$/],
      [{ name: 'skip_test', description: 'Mark a test as skipped.', inputSchema: object({ test_id: text }) }, 'Write', /Write$/],
      [{ name: 'pause_container', description: 'Pause a container.', inputSchema: object({ id: text }) }, 'Write', /Write$/],
      [{ name: 'resume_notifications', description: 'Resume email notifications.', inputSchema: object({ user: text }) }, 'Write', /Write$/],
    ]);
  });

  describe('creating a prediction, a training or a run on an arbitrary input runs it', () => {
    cases([
      [{ name: 'create_prediction', description: 'Create a prediction for the model version and input you provide.', inputSchema: object({ version: text, input: object({}) }) }, 'Execute', /input|run/],
      [{ name: 'new_training', description: 'Start a new training of a model.', inputSchema: object({ model: text, input: object({}), destination: text }) }, 'Execute', /training|input/],
      [{ name: 'create_finetune_job', description: 'Create a fine-tuning job.', inputSchema: object({ base_model: text, inputs: object({}) }) }, 'Execute', /job|input/],
      [{ name: 'submit_run', description: 'Submit a run of an agent.', inputSchema: object({ agent: text, payload: object({}) }) }, 'Execute', /run/],
      // Counter-examples: a record with a data object, a training session in a calendar, a run record without input.
      [{ name: 'create_record', description: 'Create a record.', inputSchema: object({ table: text, data: object({}) }) }, 'Write', /^name: verb "create" → Write$/],
      [{ name: 'create_training_session', description: 'Schedule a training session for a team.', inputSchema: object({ title: text, starts_at: text }) }, 'Write', /Write$/],
      [{ name: 'create_run', description: 'Create an experiment run record.', inputSchema: object({ experiment: text, tags: object({}) }) }, 'Write', /Write$/],
    ]);
  });

  describe('activating an automation runs it; a label of a runnable definition is not code', () => {
    cases([
      [{ name: 'activate_workflow', description: 'Activate a workflow so it runs on its triggers.', inputSchema: object({ id: text }) }, 'Execute', /workflow/],
      [{ name: 'enable_function', description: 'Enable a function.', inputSchema: object({ name: text }) }, 'Execute', /function/],
      [{ name: 'publish_automation_script', description: 'Publish a script.', inputSchema: object({ id: text }) }, 'Execute', /script/],
      [{ name: 'update_workflow_labels', description: 'Update the labels of a workflow.', inputSchema: object({ id: text, labels: { type: 'array' } }) }, 'Write', /Write$/],
      [{ name: 'set_function_description', description: 'Set the description of a function.', inputSchema: object({ name: text, description: text }) }, 'Write', /Write$/],
      [{ name: 'update-script-permissions', description: 'Update who can see a script.', inputSchema: object({ id: text, users: { type: 'array' } }) }, 'Write', /Write$/],
      // Counter-examples: deactivating, disabling, activating a user, changing a workflow itself.
      [{ name: 'deactivate_workflow', description: 'Deactivate a workflow.', inputSchema: object({ id: text }) }, 'Write', /Write$/],
      [{ name: 'disable_function', description: 'Disable a function.', inputSchema: object({ name: text }) }, 'Write', /Write$/],
      [{ name: 'activate_user', description: 'Activate a user account.', inputSchema: object({ user: text }) }, 'Write', /Write$/],
      [{ name: 'update_workflow', description: 'Update a workflow.', inputSchema: object({ id: text, nodes: { type: 'array' } }) }, 'Execute', /workflow/],
    ]);
  });

  describe('a generated report or audit is handed back', () => {
    cases([
      [{ name: 'generate_audit', description: 'Generate a security audit for the instance.', inputSchema: object({ categories: { type: 'array' } }) }, 'Read', /Read$/],
      [{ name: 'generate-usage-report', description: 'Generate a usage report.', inputSchema: object({ period: text }) }, 'Read', /Read$/],
      [{ name: 'generate_overview', description: 'Generate an overview of the repository.', inputSchema: object({ repo: text }) }, 'Read', /Read$/],
      // Counter-examples: a generated key, an invoice, a report saved to a path.
      [{ name: 'generate_token', description: 'Generate an access token.', inputSchema: object({ scope: text }) }, 'Write', /Write$/],
      [{ name: 'generate_invoice', description: 'Generate an invoice for a customer.', inputSchema: object({ customer: text }) }, 'Financial', /Financial$/],
    ]);
  });

  describe('a code that names something (an invitation link\'s, a country\'s) is no code to run', () => {
    cases([
      [{ name: 'create_invite_link', description: 'Create an invitation link for a group.', inputSchema: object({ group: text, code: { type: 'string', description: 'The link code' } }) }, 'Write', /Write$/],
      [{ name: 'update_room_link', description: 'Change the invitation link of a room.', inputSchema: object({ room: text, code: text }) }, 'Write', /Write$/],
      [{ name: 'set_region', description: 'Set the account region.', inputSchema: object({ code: { type: 'string', description: 'ISO country code' } }) }, 'Write', /Write$/],
      [{ name: 'update_voucher', description: 'Update a voucher of the account.', inputSchema: object({ code: text, note: text }) }, 'Write', /Write$/],
      // Counter-examples: code that runs.
      [{ name: 'update_function', description: 'Update a function.', inputSchema: object({ name: text, code: text }) }, 'Execute', /Execute$/],
      [{ name: 'run_snippet', description: 'Run a snippet.', inputSchema: object({ code: { type: 'string', description: 'Python code to run' } }) }, 'Execute', /Execute$/],
      [{ name: 'create_job', description: 'Create a job.', inputSchema: object({ name: text, code: text }) }, 'Execute', /Execute$/],
    ]);
  });

  describe('emptying a cart or a basket loses nothing stored on purpose', () => {
    cases([
      [{ name: 'clear_cart', description: 'Remove all items from the cart.', inputSchema: object({ date: text }) }, 'Write', /cart/],
      [{ name: 'clear_basket', description: 'Clear the entire basket.', inputSchema: {} }, 'Write', /basket/],
      [{ name: 'empty_shopping_bag', description: 'Empty the shopping bag.', inputSchema: {} }, 'Write', /bag/],
      // Counter-examples: a table, an inbox, a disk.
      [{ name: 'clear_table', description: 'Clear all rows of a table.', inputSchema: object({ table: text }) }, 'Destructive', /Destructive$/],
      [{ name: 'clear_mailbox', description: 'Clear all messages of a mailbox.', inputSchema: object({ mailbox: text }) }, 'Destructive', /Destructive$/],
    ]);
  });

  describe('a money verb used as a noun before a reading noun is no action', () => {
    cases([
      [{ name: 'order_history', description: 'Get past orders with their prices.', inputSchema: object({ from: text, to: text }), annotations: { readOnlyHint: true } }, 'Read', /Read$/],
      [{ name: 'charge_details', description: 'Details of a charge.', inputSchema: object({ charge_id: text }) }, 'Read', /Read$/],
      [{ name: 'shop_order_status', description: 'Status of an order.', inputSchema: object({ order_id: text }) }, 'Read', /Read$/],
      // Counter-examples: the verb with an object.
      [{ name: 'order_meal', description: 'Order a meal.', inputSchema: object({ meal: text }) }, 'Financial', /Financial$/],
      [{ name: 'charge_customer', description: 'Charge a customer.', inputSchema: object({ customer: text, amount: int }) }, 'Financial', /Financial$/],
    ]);
  });

  describe('a bare action value acts on what the tool\'s name names', () => {
    cases([
      [{ name: 'manage_item_link', description: 'Add or remove links between items.', inputSchema: object({ source: int, target: int, operation: { type: 'string', enum: ['add', 'remove', 'update'] } }) }, 'Write', /Write$/],
      [{ name: 'edit_ticket_tags', description: 'Edit the tags of a ticket.', inputSchema: object({ ticket: text, action: { type: 'string', enum: ['add', 'remove'] } }) }, 'Write', /Write$/],
      [{ name: 'project_members', description: 'Change who is in a project.', inputSchema: object({ project: text, mode: { type: 'string', enum: ['add', 'remove'] } }) }, 'Write', /Write$/],
      // Counter-examples: removing files, records or a bucket destroys them.
      [{ name: 'manage_files', description: 'Manage files.', inputSchema: object({ path: text, operation: { type: 'string', enum: ['create', 'remove'] } }) }, 'Destructive', /remove/],
      [{ name: 'manage_records', description: 'Manage records of a table.', inputSchema: object({ table: text, action: { type: 'string', enum: ['add', 'remove'] } }) }, 'Destructive', /remove/],
    ]);
  });

  describe('a free operation whose description lists destroying operations can destroy', () => {
    cases([
      [{ name: 'alter_collection', description: 'Alter a collection.', inputSchema: object({ name: text, operation: { type: 'string', description: 'ADD FIELD, DROP FIELD, RENAME FIELD, etc.' } }) }, 'Destructive', /drop/i],
      [{ name: 'modify_table', description: 'Modify a table structure.', inputSchema: object({ table: text, action: { type: 'string', description: 'One of: add column, delete column, rename column' }, details: text }) }, 'Destructive', /delete/i],
      // Counter-examples: operations that only add or rename.
      [{ name: 'alter_index', description: 'Alter an index.', inputSchema: object({ name: text, operation: { type: 'string', description: 'ADD FIELD or RENAME' } }) }, 'Write', /Write$/],
      [{ name: 'change_view', description: 'Change a view.', inputSchema: object({ name: text, action: { type: 'string', description: 'rename or move' } }) }, 'Write', /Write$/],
    ]);
  });
});

// Seventh round (docs/dev/catalog-classifier.md, section 18): ten new servers (messaging, email, telephony,
// cloud, databases) labelled and measured untouched, then each kind of miss probed with invented tools first.
describe('classifyTool: fresh probes of the seventh round\'s kinds', () => {
  const { object, text, bool } = probeSchema;
  const cases = probeCases;

  describe('a query tool that says it can write, or has a switch for read-only, is Execute', () => {
    cases([
      [{ name: 'query_store', description: 'Query the triple store with SPARQL. Both read and write (update) queries are supported.', inputSchema: object({ store: text, query: text }) }, 'Execute', /writ/i],
      [{ name: 'query_db', description: 'Query the database.', inputSchema: object({ query: text, readOnly: { type: 'boolean', description: 'Run in a read-only transaction' } }) }, 'Execute', /readOnly/],
      [{ name: 'query_documents', description: 'Runs a query against a collection; supports reads and writes.', inputSchema: object({ collection: text, query: text }) }, 'Execute', /writ/i],
      [{ name: 'search_graph', description: 'Search the graph with a Gremlin traversal. Read-write: mutations are allowed.', inputSchema: object({ query: text }) }, 'Execute', /writ|mutation/i],
      [{ name: 'query_graph_db', description: 'Query a graph.', inputSchema: object({ graph: text, query: text, read_only: { type: 'boolean', description: 'When false, write clauses run' } }) }, 'Execute', /read_only/],
      // Counter-examples: a read-only query tool, a query tool with no write claim and no switch, "both" about something else.
      [{ name: 'query_readonly_graph', description: 'Run a read-only Cypher query.', inputSchema: object({ query: text }) }, 'Read', /Read$/],
      [{ name: 'query_metrics', description: 'Query metrics from the time-series store.', inputSchema: object({ query: text }) }, 'Read', /Read$/],
      [{ name: 'query_tickets', description: 'Query tickets. Supports both open and closed tickets.', inputSchema: object({ query: text, status: text }) }, 'Read', /Read$/],
      [{ name: 'search_messages', description: 'Search messages.', inputSchema: object({ query: text, readOnly: bool }) }, 'Read', /Read$/],
    ]);
  });

  describe('a purpose clause ("before running a query") is not the tool running anything', () => {
    cases([
      [{ name: 'get_table_schema', description: 'Get the columns of a table, to understand its structure before executing a query.', inputSchema: object({ table: text }) }, 'Read', /Read$/],
      [{ name: 'list_functions', description: 'List the functions you can call, prior to running one.', inputSchema: object({}) }, 'Read', /Read$/],
      [{ name: 'describe_index', description: 'Describe an index and its fields before running a search or executing a query on it.', inputSchema: object({ index: text }) }, 'Read', /Read$/],
      // Counter-examples: tools that do run something.
      [{ name: 'execute_sql', description: 'Executes SQL before committing the transaction.', inputSchema: object({ sql: text }) }, 'Execute', /Execute$/],
      [{ name: 'validate_and_execute', description: 'Validate the script before executing it.', inputSchema: object({ script: text }) }, 'Execute', /Execute$/],
    ]);
  });

  describe('marking messages read or seen changes state (Write)', () => {
    cases([
      [{ name: 'chat_read', description: 'Mark chat messages as read.', inputSchema: object({ chat: text }) }, 'Write', /read|seen/],
      [{ name: 'inbox_seen', description: 'Marks the conversation as seen.', inputSchema: object({ conversation_id: text }) }, 'Write', /read|seen/],
      [{ name: 'read_notifications', description: 'Mark all notifications as read.', inputSchema: object({}) }, 'Write', /read|seen/],
      [{ name: 'fetch_mail', description: 'Fetch new mail from a folder.', inputSchema: object({ folder: text, markAsRead: bool }) }, 'Write', /markAsRead/],
      [{ name: 'get_notifications', description: 'Get notifications.', inputSchema: object({ mark_seen: { type: 'boolean', description: 'Mark them seen' } }) }, 'Write', /mark_seen/],
      [{ name: 'get_email', description: 'Retrieve one email.', inputSchema: object({ id: text, markRead: bool }) }, 'Write', /markRead/],
      // Counter-examples: reading, filtering on the read state, a markdown switch, counting unread messages.
      [{ name: 'read_messages', description: 'Read the messages of a chat.', inputSchema: object({ chat: text }) }, 'Read', /Read$/],
      [{ name: 'list_messages', description: 'List messages.', inputSchema: object({ unreadOnly: bool, includeRead: bool }) }, 'Read', /Read$/],
      [{ name: 'get_page', description: 'Get a page.', inputSchema: object({ id: text, markdown: bool }) }, 'Read', /Read$/],
      [{ name: 'get_unread_count', description: 'Count unread messages.', inputSchema: object({}) }, 'Read', /Read$/],
    ]);
  });

  describe('removing a person\'s access or role is recoverable (Write), removing a thing is not', () => {
    cases([
      [{ name: 'remove_collaborator', description: 'Removes a collaborator from the repository.', inputSchema: object({ repo: text, username: text }) }, 'Write', /Write$/],
      [{ name: 'remove_member', description: 'Remove a member.', inputSchema: object({ team: text, user: text }) }, 'Write', /Write$/],
      [{ name: 'remove_guest', description: 'Remove a guest from the event.', inputSchema: object({ event: text, email: text }) }, 'Write', /Write$/],
      [{ name: 'removeReviewer', description: 'Removes a requested reviewer.', inputSchema: object({ pr: text, reviewer: text }) }, 'Write', /Write$/],
      // Counter-examples: a user account, a file, a team, a record removed.
      [{ name: 'remove_user', description: 'Remove a user account and its data.', inputSchema: object({ user: text }) }, 'Destructive', /Destructive$/],
      [{ name: 'remove_file', description: 'Remove a file.', inputSchema: object({ path: text }) }, 'Destructive', /Destructive$/],
      [{ name: 'remove_team', description: 'Remove a team.', inputSchema: object({ team: text }) }, 'Destructive', /Destructive$/],
    ]);
  });

  describe('a tool named for checking whose description says it sends something is Write', () => {
    cases([
      [{ name: 'verify_phone_number', description: 'Sends a verification code by SMS to the number.', inputSchema: object({ phone: text }) }, 'Write', /send/i],
      [{ name: 'test_webhook', description: 'Sends a test event to the webhook URL.', inputSchema: object({ url: text }) }, 'Write', /send/i],
      [{ name: 'check_recipient', description: 'Send a test email to the recipient to check delivery.', inputSchema: object({ email: text }) }, 'Write', /send/i],
      [{ name: 'validate_number', description: 'Texts a one-time code to the number to validate it.', inputSchema: object({ phone: text }) }, 'Write', /text/i],
      // Counter-examples: checks that send nothing, reading what was sent.
      [{ name: 'verify_token', description: "Verify a token's signature.", inputSchema: object({ token: text }) }, 'Read', /Read$/],
      [{ name: 'check_delivery', description: 'Checks whether a message was sent.', inputSchema: object({ id: text }) }, 'Read', /Read$/],
      [{ name: 'get_send_status', description: 'Get the status of a sent email.', inputSchema: object({ id: text }) }, 'Read', /Read$/],
      [{ name: 'search_text', description: 'Text search over documents.', inputSchema: object({ query: text }) }, 'Read', /Read$/],
      [{ name: 'get_emails', description: "Emails of the user's contacts.", inputSchema: object({ contact: text }) }, 'Read', /Read$/],
      [{ name: 'notify_check', description: 'Notifies the on-call engineer that a check failed.', inputSchema: object({ check: text }) }, 'Write', /send|notif/i],
    ]);
  });

  describe('watching with a destination for notifications registers a subscription (Write)', () => {
    cases([
      [{ name: 'watch_calendar', description: 'Watch for changes to a calendar.', inputSchema: object({ calendarId: text, webhookUrl: text }) }, 'Write', /webhookUrl/],
      [{ name: 'watch_files', description: 'Watch a drive for changes.', inputSchema: object({ channel_id: text, address: text }) }, 'Write', /address/],
      [{ name: 'monitor_repo', description: 'Monitor a repository for new commits.', inputSchema: object({ repo: text, callback_url: text }) }, 'Write', /callback_url/],
      [{ name: 'watch_inbox', description: 'Watch the inbox.', inputSchema: object({ topic: text }) }, 'Write', /topic/],
      // Counter-examples: watching that only streams back to the caller.
      [{ name: 'watch_logs', description: 'Watch the logs of a pod.', inputSchema: object({ pod: text, follow: bool }) }, 'Read', /Read$/],
      [{ name: 'watch_directory', description: 'Watch a directory and return the changes seen.', inputSchema: object({ path: text, timeout: text }) }, 'Read', /Read$/],
      [{ name: 'monitor_health', description: 'Monitor service health.', inputSchema: object({ service: text }) }, 'Read', /Read$/],
    ]);
  });
});

describe('classifyTool: fresh probes of the eighth round\'s kinds', () => {
  const { object, text, int } = probeSchema;
  const cases = probeCases;

  describe('a changing tool whose description says the call is paid for is Financial', () => {
    cases([
      [{ name: 'hostname_acquire', description: 'Acquire a hostname for a year. Requires a USDC payment from the agent wallet.', inputSchema: object({ hostname: text }) }, 'Financial', /payment|paid|paying/i],
      [{ name: 'extend_lease', description: 'Extend a lease by some months. Payment is required and taken from the balance.', inputSchema: object({ lease_id: text, months: int }) }, 'Financial', /payment|paid|paying/i],
      [{ name: 'balance_refill', description: 'Refill the balance by paying with the stored card.', inputSchema: object({ amount: int }) }, 'Financial', /payment|paid|paying/i],
      [{ name: 'gateway_fetch', description: 'Fetch any URL through the gateway; when the endpoint asks for it, the request is paid automatically from the wallet.', inputSchema: object({ url: text, method: text }) }, 'Financial', /payment|paid|paying/i],
      [{ name: 'reserve_slot', description: 'Reserve a slot. The booking fee will be paid with the saved card.', inputSchema: object({ slot: text }) }, 'Financial', /payment|paid|paying/i],
      // Counter-examples: checking whether payment is needed, reading what was paid, a paid-plan feature, a Boolean about payment status.
      [{ name: 'check_paywall', description: 'Check whether a URL requires payment and return the payment requirements.', inputSchema: object({ url: text }) }, 'Read', /^name: verb "check" → Read$/],
      [{ name: 'list_invoices_paid', description: 'List invoices already paid from the account.', inputSchema: object({ month: text }) }, 'Read', /^name: verb "list" → Read$/],
      [{ name: 'update_profile', description: 'Update the profile. Custom avatars require a paid plan.', inputSchema: object({ avatar: text }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'update_ticket', description: 'Update a support ticket, for example when the customer says they have paid.', inputSchema: object({ id: text, note: text }) }, 'Write', /^name: verb "update" → Write$/],
    ]);
  });

  describe('topping up or recharging a balance is Financial', () => {
    cases([
      [{ name: 'wallet_topup', description: 'Add funds.', inputSchema: object({ amount: int }) }, 'Financial', /topup|recharge/],
      [{ name: 'recharge_account', description: 'Recharge the prepaid account.', inputSchema: object({ amount: int }) }, 'Financial', /topup|recharge/],
      // Counter-example: reading the top-up history.
      [{ name: 'list_topups', description: 'List past top-ups.', inputSchema: object({}) }, 'Read', /^name: verb "list" → Read$/],
    ]);
  });

  describe('one tool for any operation of an API (a service, a method, a request object) runs anything it offers', () => {
    cases([
      [{ name: 'call_api', description: 'One tool for every operation of the shop API. Services: catalog, customers, payments, refunds, payouts.', inputSchema: object({ service: text, method: { type: 'string', description: 'The API method to call (e.g. list, create)' }, request: object({}) }) }, 'Financial', /payments|refunds|payouts/],
      [{ name: 'crm_api_request', description: 'One entry point for the CRM API. Services: contacts, deals, notes.', inputSchema: object({ service: text, method: { type: 'string', description: 'The method of the service to call' }, request: object({}) }) }, 'Execute', /any|method/],
      // Counter-examples: an HTTP method with an enum of reads, a tool that describes a method's types, a webhook configured with a method.
      [{ name: 'describe_api_method', description: 'Get the request and response types of an API method before calling it.', inputSchema: object({ service: text, method: text }) }, 'Read', /^name: verb "describe" → Read$/],
      [{ name: 'create_webhook', description: 'Create a webhook that calls a URL.', inputSchema: object({ url: text, method: text, request: object({}) }) }, 'Write', /^name: verb "create" → Write$/],
    ]);
  });

  describe('creating or altering a table with a free SQL statement runs DDL (Execute)', () => {
    cases([
      [{ name: 'add_table', description: 'Add a new table to the database.', inputSchema: object({ query: text }) }, 'Execute', /DDL|statement/i],
      [{ name: 'modify_columns', description: 'Change a table: add, rename or retype columns.', inputSchema: object({ query: text }) }, 'Execute', /DDL|statement/i],
      [{ name: 'create_index', description: 'Create an index.', inputSchema: object({ statement: text }) }, 'Execute', /DDL|statement/i],
      // Counter-examples: a table created from structured fields, a search with a query, a row inserted from fields.
      [{ name: 'create_table', description: 'Create a table in a base.', inputSchema: object({ base_id: text, name: text, fields: { type: 'array', items: object({ name: text, type: text }) } }) }, 'Write', /^name: verb "create" → Write$/],
      [{ name: 'update_record', description: 'Update a record in a table.', inputSchema: object({ table: text, id: text, fields: object({}) }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'create_view', description: 'Create a saved view of a table.', inputSchema: object({ table: text, name: text, filter: text }) }, 'Write', /^name: verb "create" → Write$/],
    ]);
  });

  describe('a changing tool that sets a command for later runs (a build or start command) is Execute', () => {
    cases([
      [{ name: 'edit_site', description: 'Edit a site.', inputSchema: object({ siteId: text, buildCommand: text, outputDir: text }) }, 'Execute', /buildCommand/],
      [{ name: 'update_service', description: 'Update a service.', inputSchema: object({ id: text, start_command: text }) }, 'Execute', /start_command/],
      [{ name: 'configure_app', description: 'Configure an app.', inputSchema: object({ app: text, preDeployScript: text }) }, 'Execute', /preDeployScript/],
      // Counter-examples: a command's name or id, a slash command's description, reading a build command.
      [{ name: 'update_shortcut', description: 'Update a keyboard shortcut.', inputSchema: object({ commandId: text, key: text }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'register_slash_command', description: 'Register a chat slash command.', inputSchema: object({ commandName: text, commandDescription: text }) }, 'Write', /^name: verb "register" → Write$/],
      [{ name: 'get_site', description: 'Get a site and its build command.', inputSchema: object({ siteId: text }) }, 'Read', /^name: verb "get" → Read$/],
    ]);
  });

  describe('sending a kill or terminate signal to any process is Destructive', () => {
    cases([
      [{ name: 'send_signal', description: 'Send a signal to a process.', inputSchema: object({ pid: int, signal: { type: 'string', enum: ['HUP', 'TERM', 'KILL'] } }) }, 'Destructive', /signal|KILL|TERM/],
      [{ name: 'process_signal', description: 'Deliver SIGKILL or SIGTERM to a process by PID.', inputSchema: object({ pid: int, sig: text }) }, 'Destructive', /signal|KILL|TERM/],
      // Counter-examples: a reload signal only, listing processes, a signal to a workflow (an event, not a kill).
      [{ name: 'reload_process', description: 'Send SIGHUP to a process so it reloads its configuration.', inputSchema: object({ pid: int, signal: { type: 'string', enum: ['HUP', 'USR1'] } }) }, 'Write', /→ Write$/],
      [{ name: 'list_processes', description: 'List processes and the signals they ignore.', inputSchema: object({ user: text }) }, 'Read', /^name: verb "list" → Read$/],
      [{ name: 'signal_workflow', description: 'Send a signal to a running workflow.', inputSchema: object({ workflowId: text, signalName: text, input: object({}) }) }, 'Write', /→ Write$/],
    ]);
  });

  describe('replacing a whole configuration or rule set drops what the call leaves out (Destructive)', () => {
    cases([
      [{ name: 'put_waf_settings', description: 'Create or replace the WAF configuration.', inputSchema: object({ zone: text, rules: { type: 'array', items: object({ id: text }) } }) }, 'Destructive', /replace/i],
      [{ name: 'set_acl', description: 'Replaces the access rules of a bucket.', inputSchema: object({ bucket: text, rules: { type: 'array', items: object({}) } }) }, 'Destructive', /replace/i],
      // Counter-examples: replacing text, a file's content, one rule.
      [{ name: 'replace_text', description: 'Replace text in a document.', inputSchema: object({ doc: text, find: text, replace: text }) }, 'Write', /→ Write$/],
      [{ name: 'update_rule', description: 'Update or replace one firewall rule.', inputSchema: object({ rule_id: text, action: text }) }, 'Write', /→ Write$/],
      [{ name: 'put_object', description: 'Create or replace an object in a bucket.', inputSchema: object({ bucket: text, key: text, body: text }) }, 'Write', /→ Write$/],
    ]);
  });

  describe('verifying a domain or a sender identity starts an ownership check (Write)', () => {
    cases([
      [{ name: 'verify_sending_domain', description: 'Verify a sending domain.', inputSchema: object({ domain: text }) }, 'Write', /ownership check/],
      [{ name: 'verifySenderIdentity', description: 'Verify a sender identity.', inputSchema: object({ identityId: text }) }, 'Write', /ownership check/],
      // Counter-examples: verifying a signature, a checksum or a token computes an answer.
      [{ name: 'verify_signature', description: 'Verify a webhook signature.', inputSchema: object({ payload: text, signature: text }) }, 'Read', /^name: verb "verify" → Read$/],
      [{ name: 'verify_checksum', description: 'Verify a file checksum.', inputSchema: object({ path: text, sha256: text }) }, 'Read', /^name: verb "verify" → Read$/],
    ]);
  });

  describe('a name\'s "remove" whose description says "from" a container removes a link (Write)', () => {
    cases([
      [{ name: 'removeSiteAlias', description: 'Removes an alias from a site.', inputSchema: object({ siteId: text, alias: text }) }, 'Write', /a link removed/],
      [{ name: 'remove_allowed_ip', description: 'Remove an IP address from the allowlist of a project.', inputSchema: object({ project: text, ip: text }) }, 'Write', /a link removed/],
      // Counter-examples: a removal that says it deletes, one with no container, one that cleans up.
      [{ name: 'removeBucketObject', description: 'Removes an object from a bucket and deletes its data.', inputSchema: object({ bucket: text, key: text }) }, 'Destructive', /→ Destructive$/],
      [{ name: 'mariadb-remove', description: 'Removes a MariaDB database from the platform.', inputSchema: object({ databaseId: text }) }, 'Destructive', /^name: verb "remove" → Destructive$/],
      [{ name: 'remove_volume', description: 'Remove a volume.', inputSchema: object({ volume: text }) }, 'Destructive', /^name: verb "remove" → Destructive$/],
      [{ name: 'remove_port', description: 'Remove an exposed port from a sandbox. Also cleans up its subdomain.', inputSchema: object({ sandbox: text, port: int }) }, 'Destructive', /→ Destructive$/],
    ]);
  });

  describe('a node of a scene, a graph or a document is not a billed machine', () => {
    cases([
      [{ name: 'insert_node', description: 'Insert a node into a scene tree.', inputSchema: object({ scene: text, nodeType: text, name: text }) }, 'Write', /^name: verb "insert" → Write$/],
      [{ name: 'create_graph_node', description: 'Create a node in the knowledge graph.', inputSchema: object({ graph: text, node_type: text }) }, 'Write', /^name: verb "create" → Write$/],
      // Counter-examples: a cluster's node type, a node pool's machine size.
      [{ name: 'create_cluster', description: 'Create a Kubernetes cluster.', inputSchema: object({ name: text, region: text, nodeType: text }) }, 'Financial', /→ Financial$/],
      [{ name: 'add_node_pool', description: 'Add a node pool to a cluster.', inputSchema: object({ cluster: text, node_type: text }) }, 'Financial', /→ Financial$/],
    ]);
  });
});

describe('classifyTool: fresh probes of the ninth round\'s kinds', () => {
  const { object, text, int } = probeSchema;
  const cases = probeCases;
  const num = { type: 'number' };
  const bool = { type: 'boolean' };

  describe('an order or an expense claim created or changed with an amount is Financial', () => {
    cases([
      [{ name: 'create_sales_order', description: 'Create a customer purchase order.', inputSchema: object({ customerId: text, amountExcludingTax: num, schedules: { type: 'array', items: object({ date: text }) } }) }, 'Financial', /amount/],
      [{ name: 'expense_report_update', description: 'Update an expense report.', inputSchema: object({ id: text, lines: { type: 'array', items: object({ amountIncludingTax: num, category: text }) } }) }, 'Financial', /amount/],
      [{ name: 'add_reimbursement', description: 'Record a reimbursement to an employee.', inputSchema: object({ employee: text, total: num }) }, 'Financial', /amount|total|reimbursement/],
      // Counter-examples: an order changed without an amount, a work order, an expense category.
      [{ name: 'update_order_notes', description: 'Update the notes of an order.', inputSchema: object({ orderId: text, note: text }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'create_work_order', description: 'Create a maintenance work order.', inputSchema: object({ asset: text, amount: num }) }, 'Write', /^name: verb "create" → Write$/],
      [{ name: 'create_expense_category', description: 'Create an expense category.', inputSchema: object({ name: text }) }, 'Write', /^name: verb "create" → Write$/],
    ]);
  });

  describe('a redaction of what the tool returns destroys nothing', () => {
    cases([
      [{ name: 'run_with_secrets', description: 'Run a shell command with secrets injected; secret values are redacted from stdout and stderr before the result is returned.', inputSchema: object({ command: text }) }, 'Execute', /→ Execute$/],
      [{ name: 'fetch_logs', description: 'Fetch logs. Tokens are redacted in the output.', inputSchema: object({ service: text }) }, 'Read', /^name: verb "fetch" → Read$/],
      // Counter-examples: redacting stored data.
      [{ name: 'redact_document', description: 'Redact personal data in a stored document.', inputSchema: object({ documentId: text }) }, 'Destructive', /→ Destructive$/],
      [{ name: 'update_message', description: 'Update a message; the original text is redacted permanently.', inputSchema: object({ id: text, text }) }, 'Destructive', /redact|permanent/],
    ]);
  });

  describe('a parameter that is the path of a program to start runs that program (Execute)', () => {
    cases([
      [{ name: 'relaunch_browser', description: 'Relaunch the browser with another configuration.', inputSchema: object({ browserPath: { type: 'string', description: 'New browser binary path' } }) }, 'Execute', /binary path/],
      [{ name: 'start_app', description: 'Start the desktop app.', inputSchema: object({ executable_path: { type: 'string', description: 'Path to the app executable' } }) }, 'Execute', /executable/],
      // Counter-examples: a profile folder, a file path, reading a binary's version.
      [{ name: 'restart_browser', description: 'Restart the browser.', inputSchema: object({ profilePath: { type: 'string', description: 'Profile folder path' } }) }, 'Write', /^name: verb "restart" → Write$/],
      [{ name: 'get_binary_info', description: 'Read the version of a binary.', inputSchema: object({ path: { type: 'string', description: 'Path to the binary' } }) }, 'Read', /^name: verb "get" → Read$/],
    ]);
  });

  describe('a word with accented letters is one word ("télécharge" is not "charge")', () => {
    cases([
      [{ name: 'documents_create', description: 'Attache un document à partir d’une URL : le serveur télécharge le fichier.', inputSchema: object({ parentId: text, fileUrl: text }) }, 'Write', /^name: verb "create" → Write$/],
      // Counter-example: an English description naming money still raises.
      [{ name: 'create_entry', description: 'Create an entry that charges the customer.', inputSchema: object({ customer: text }) }, 'Financial', /charges|charge/],
    ]);
  });

  describe('a card\'s security code is no code to run', () => {
    cases([
      [{ name: 'create_item', description: 'Create a vault item.', inputSchema: object({ name: text, card: object({ number: text, code: { type: 'string', description: 'Security code (CVV)' } }) }) }, 'Write', /^name: verb "create" → Write$/],
      // Counter-example: code to run.
      [{ name: 'run_snippet', description: 'Run a snippet.', inputSchema: object({ code: { type: 'string', description: 'JavaScript code to run' } }) }, 'Execute', /→ Execute$/],
    ]);
  });

  describe('flags inside a permissions object grant a right; they destroy nothing', () => {
    cases([
      [{ name: 'invite_member', description: 'Invite a member.', inputSchema: object({ email: text, permissions: object({ deleteAnyCollection: { type: 'boolean', description: 'Can delete any collection' }, editAnyCollection: bool }) }) }, 'Write', /^name: verb "invite" → Write$/],
      // Counter-example: a flag that deletes when the call runs.
      [{ name: 'update_member', description: 'Update a member.', inputSchema: object({ id: text, deleteData: { type: 'boolean', description: 'Delete the member\'s files' } }) }, 'Destructive', /deleteData/],
    ]);
  });

  describe('deleting a reaction removes a reaction (Write)', () => {
    cases([
      [{ name: 'delete_issue_emoji_reaction', description: 'Remove an emoji reaction from an issue.', inputSchema: object({ issue: int, award_id: int }) }, 'Write', /emoji|reaction/],
      [{ name: 'deleteCommentReaction', description: 'Delete a reaction.', inputSchema: object({ id: text }) }, 'Write', /reaction/],
      // Counter-example: deleting the issue.
      [{ name: 'delete_issue', description: 'Delete an issue.', inputSchema: object({ issue: int }) }, 'Destructive', /^name: verb "delete" → Destructive$/],
    ]);
  });

  describe('a hedged "may be irreversible" or a cleared cache is no destruction by itself', () => {
    cases([
      [{ name: 'delete_note_reaction', description: 'Remove an emoji reaction. It changes remote data and may be irreversible.', inputSchema: object({ id: text }) }, 'Write', /emoji|reaction/],
      [{ name: 'clear_snapshot', description: 'Clear snapshot cache. Usually not needed.', inputSchema: object({}) }, 'Write', /cache/],
      // Counter-examples: a plain "irreversible", clearing a table.
      [{ name: 'archive_project', description: 'Archive a project. This is irreversible.', inputSchema: object({ id: text }) }, 'Destructive', /irreversible/],
      [{ name: 'clear_table', description: 'Clear all rows of a table.', inputSchema: object({ table: text }) }, 'Destructive', /→ Destructive$/],
    ]);
  });

  describe('a delete that moves to the trash can be restored (Write)', () => {
    cases([
      [{ name: 'deleteItem', description: 'Move a file or folder to trash (can be restored from the trash).', inputSchema: object({ itemId: text }) }, 'Write', /trash/],
      // Counter-examples: a plain delete, a trash that a flag can skip.
      [{ name: 'delete_file', description: 'Delete a file.', inputSchema: object({ path: text }) }, 'Destructive', /^name: verb "delete" → Destructive$/],
      [{ name: 'delete_entry', description: 'Moves an entry to the trash.', inputSchema: object({ id: text, permanent: { type: 'boolean', description: 'Skip the trash' } }) }, 'Destructive', /^name: verb "delete" → Destructive$/],
    ]);
  });

  describe('resolving a thread marks it resolved (Write); resolving a name reads', () => {
    cases([
      [{ name: 'resolve_merge_request_thread', description: 'Resolve a thread.', inputSchema: object({ thread: text }) }, 'Write', /resolved/],
      [{ name: 'resolve_incident', description: 'Resolve an incident.', inputSchema: object({ id: text }) }, 'Write', /resolved/],
      [{ name: 'resolve_hostname', description: 'Resolve a hostname.', inputSchema: object({ host: text }) }, 'Read', /^name: verb "resolve" → Read$/],
    ]);
  });

  describe('two verbs joined by "and": the riskier one is what the call can do', () => {
    cases([
      [{ name: 'findAndReplaceInDoc', description: 'Find and replace text in a document.', inputSchema: object({ doc: text, find: text, replace: text }) }, 'Write', /replace/],
      [{ name: 'get_and_delete_message', description: 'Fetch a message and remove it from the queue.', inputSchema: object({ queue: text }) }, 'Destructive', /delete/],
      // Counter-example: one verb.
      [{ name: 'find_files', description: 'Find files.', inputSchema: object({ pattern: text }) }, 'Read', /^name: verb "find" → Read$/],
    ]);
  });

  describe('a generated password handed back is Read; one stored in a vault is Write', () => {
    cases([
      [{ name: 'password_generate', description: 'Generate a cryptographically secure random password.', inputSchema: object({ length: int, includeSymbols: bool }) }, 'Read', /password/],
      [{ name: 'generate', description: 'Generate a secure password or passphrase.', inputSchema: object({ length: int }) }, 'Read', /password/],
      // Counter-examples: a key generated for an account, a password generated into a vault item.
      [{ name: 'generate_api_key', description: 'Generate a new API key for the account.', inputSchema: object({ name: text }) }, 'Write', /^name: verb "generate" → Write$/],
      [{ name: 'generate_password', description: 'Generate a password and save it in a vault item.', inputSchema: object({ vaultId: text, itemId: text }) }, 'Write', /^name: verb "generate" → Write$/],
    ]);
  });

  describe('a query in a language that only reads is Read', () => {
    cases([
      [{ name: 'execute-gaql-query', description: 'Executes a GAQL query and returns the result.', inputSchema: object({ query: text, customerId: text }) }, 'Read', /GAQL/],
      [{ name: 'run_promql', description: 'Run a PromQL expression.', inputSchema: object({ expr: text }) }, 'Read', /PROMQL/],
      // Counter-examples: SQL and Cypher can write.
      [{ name: 'execute_sql', description: 'Execute SQL.', inputSchema: object({ sql: text }) }, 'Execute', /→ Execute$/],
      [{ name: 'run_cypher', description: 'Run a Cypher query.', inputSchema: object({ query: text }) }, 'Execute', /→ Execute$/],
    ]);
  });
});

describe('classifyTool: fresh probes of the tenth round\'s kinds', () => {
  const { object, text, num } = probeSchema;
  const cases = probeCases;
  const money = object({ currency: text, value: text });

  describe('an ad bid or budget set by a changing tool is Financial, whatever its type', () => {
    cases([
      [{ name: 'set_listing_promotion', description: 'Promote a listing.', inputSchema: object({ listingId: text, bidPercentage: text }) }, 'Financial', /"bidPercentage"/],
      [{ name: 'add_keyword', description: 'Add a keyword to an ad group.', inputSchema: object({ groupId: text, keyword: text, bid: money }) }, 'Financial', /"bid"/],
      [{ name: 'create_ad_set', description: 'Create an ad set.', inputSchema: object({ request: object({ name: text, defaultBid: money }) }) }, 'Financial', /"defaultBid"/],
      [{ name: 'new_promo_campaign', description: 'Set up a promoted campaign.', inputSchema: object({ name: text, dailyBudget: object({ amount: text, currency: text }) }) }, 'Financial', /"dailyBudget"/],
      [{ name: 'update_campaign_limits', description: 'Update campaign limits.', inputSchema: object({ id: text, request: object({ budget: object({ daily: object({ amount: text, currency: text }) }) }) }) }, 'Financial', /"budget"/],
      // Counter-examples: bids suggested (a read), a budget's owner, a keyword with no bid.
      [{ name: 'suggest_bids', description: 'Suggest bids for an ad group.', inputSchema: object({ groupId: text, bid: money }) }, 'Read', /^name: verb "suggest" → Read$/],
      [{ name: 'update_project', description: 'Update a project.', inputSchema: object({ id: text, budgetOwner: text }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'create_negative_keyword', description: 'Create a negative keyword.', inputSchema: object({ groupId: text, keywordText: text }) }, 'Write', /^name: verb "create" → Write$/],
    ]);
  });

  describe('a money word that only qualifies what the name acts on is no money', () => {
    cases([
      [{ name: 'create_payment_policy', description: 'Create a new payment policy for the shop.', inputSchema: object({ name: text, immediatePay: { type: 'boolean' } }) }, 'Write', /^name: verb "create"/],
      [{ name: 'upload_invoice_dispute_evidence', description: 'Upload evidence for an invoice dispute.', inputSchema: object({ disputeId: text, file: text }) }, 'Write', /^name: verb "upload"/],
      [{ name: 'update_webhook_subscription', description: 'Update a webhook subscription.', inputSchema: object({ id: text, url: text }) }, 'Write', /^name: verb "update"/],
      [{ name: 'enable_event_subscription', description: 'Enable an event subscription.', inputSchema: object({ id: text }) }, 'Write', /^name: verb "enable"/],
      // Counter-examples: the money thing itself, a paid subscription, a dispute answered.
      [{ name: 'create_payment', description: 'Create a payment.', inputSchema: object({ amount: num }) }, 'Financial', /payment/],
      [{ name: 'update_subscription', description: 'Update a customer subscription.', inputSchema: object({ id: text, planId: text }) }, 'Financial', /subscription/],
      [{ name: 'accept_invoice_dispute', description: 'Accept a dispute: the buyer is refunded.', inputSchema: object({ id: text }) }, 'Financial', /dispute|refund|invoice/],
    ]);
  });

  describe('withdrawing an offer, a listing or an application takes it back; no money moves', () => {
    cases([
      [{ name: 'withdraw_listing', description: 'Withdraw a published listing.', inputSchema: object({ id: text }) }, 'Write', /"withdraw" of a "listing"/],
      [{ name: 'withdraw_job_application', description: 'Withdraw an application.', inputSchema: object({ id: text }) }, 'Write', /"withdraw" of a "(job|application)"/],
      // Counter-examples: funds withdrawn.
      [{ name: 'withdraw_funds', description: 'Withdraw funds to a bank account.', inputSchema: object({ amount: num }) }, 'Financial', /withdraw/],
      [{ name: 'withdraw', description: 'Withdraw USDC from the exchange.', inputSchema: object({ amount: num, address: text }) }, 'Financial', /withdraw/],
    ]);
  });

  describe('a name that ends with its verb: a noun-verb homograph before it is the object', () => {
    cases([
      [{ name: 'erp_purchase_receipt_list', description: 'List goods receipts.', inputSchema: object({ supplier: text }) }, 'Read', /"list" ends the name/],
      [{ name: 'crm_order_get', description: 'One order by ID.', inputSchema: object({ id: text }) }, 'Read', /"get" ends the name/],
      [{ name: 'hr_claim_search', description: 'Find claims.', inputSchema: object({ q: text }) }, 'Read', /"search" ends the name/],
      [{ name: 'qa_test_run_write', description: 'Record a test run.', inputSchema: object({ name: text }) }, 'Write', /"write" ends the name/],
      [{ name: 'db_like_search', description: 'Rows matching a LIKE pattern.', inputSchema: object({ table: text, pattern: text }) }, 'Read', /"search" ends the name/],
      // Counter-examples: a verb that leads the name, a money object before a trailing changing verb.
      [{ name: 'order_create', description: 'Create an order.', inputSchema: object({ amount: num }) }, 'Financial', /order|amount/],
      [{ name: 'purchase_domain', description: 'Buy a domain.', inputSchema: object({ domain: text }) }, 'Financial', /purchase|buy/i],
      [{ name: 'run_tests', description: 'Run the tests.', inputSchema: object({ path: text }) }, 'Execute', /run/],
    ]);
  });

  describe('"pull request" is a thing; an action enum decides over a noun-verb homograph in the name', () => {
    cases([
      [{ name: 'repo_pull_request', description: 'Retrieve pull request data.', inputSchema: object({ action: { type: 'string', enum: ['get', 'list'] }, id: text }) }, 'Read', /→ Read$/],
      [{ name: 'ci_build', description: 'Retrieve build data.', inputSchema: object({ action: { type: 'string', enum: ['list', 'get_status'] }, project: text }) }, 'Read', /→ Read$/],
      [{ name: 'ci_run', description: 'Retrieve run data.', inputSchema: object({ action: { type: 'string', enum: ['get', 'list'] }, runId: text }) }, 'Read', /→ Read$/],
      // Counter-examples: an enum that runs, a name that runs with no enum.
      [{ name: 'ci_build', description: 'Build operations.', inputSchema: object({ action: { type: 'string', enum: ['list', 'run_build'] }, project: text }) }, 'Execute', /→ Execute$/],
      [{ name: 'pull_changes', description: 'Pull the latest changes.', inputSchema: object({ repo: text }) }, 'Write', /^name: verb "pull" → Write$/],
    ]);
  });

  describe('a database transaction named resource-first moves no money', () => {
    cases([
      [{ name: 'pg_transaction_commit', description: 'Commit the open transaction.', inputSchema: object({ transactionId: text }) }, 'Write', /database transaction/],
      [{ name: 'pg_transaction_rollback', description: 'Roll back the transaction.', inputSchema: object({ transactionId: text }) }, 'Write', /database transaction/],
      [{ name: 'pg_savepoint_release', description: 'Release a savepoint.', inputSchema: object({ transactionId: text, savepoint: text }) }, 'Write', /savepoint/],
      [{ name: 'pg_transaction_execute', description: 'Execute statements in one transaction.', inputSchema: object({ statements: { type: 'array', items: text } }) }, 'Execute', /→ Execute$/],
      // Counter-examples: money transactions, an IP address released.
      [{ name: 'refund_transaction', description: 'Refund a card transaction.', inputSchema: object({ id: text }) }, 'Financial', /refund/],
      [{ name: 'release_ip', description: 'Release a reserved IP address.', inputSchema: object({ ip: text }) }, 'Destructive', /release/],
    ]);
  });

  describe('clearing the server\'s own stored tokens or login is Write (log in again)', () => {
    cases([
      [{ name: 'clear_tokens', description: 'Clear the stored OAuth tokens.', inputSchema: object({}) }, 'Write', /"clear" of "tokens"/],
      [{ name: 'crm_clear_auth', description: 'Clear saved credentials.', inputSchema: object({}) }, 'Write', /"clear" of "auth"/],
      // Counter-examples: data cleared.
      [{ name: 'clear_table', description: 'Delete every row.', inputSchema: object({ table: text }) }, 'Destructive', /clear/],
      [{ name: 'clear_secrets', description: 'Remove all secrets from the vault.', inputSchema: object({ vault: text }) }, 'Destructive', /clear/],
      [{ name: 'clear_recording_session', description: 'Clear the recorded session.', inputSchema: object({ sessionId: text }) }, 'Destructive', /clear/],
    ]);
  });

  describe('one-word fixes: an authorization code, opting in, a drop-off, records migrated, a test that sends, reordering, patch ops, links unlinked', () => {
    cases([
      [{ name: 'exchange_auth_code', description: 'Swap an authorization code for tokens.', inputSchema: object({ code: { type: 'string', description: 'The authorization code' } }) }, 'Write', /.*/],
      [{ name: 'opt_in_program', description: 'Join a seller program.', inputSchema: object({ programType: text }) }, 'Write', /"opt"/],
      [{ name: 'create_shipping_rule', description: 'Create a shipping rule.', inputSchema: object({ name: text, pickupDropOff: { type: 'boolean' } }) }, 'Write', /^name: verb "create" → Write$/],
      [{ name: 'migrate_listings', description: 'Move listings to the new model.', inputSchema: object({ ids: { type: 'array', items: text } }) }, 'Write', /"migrate" of "listings"/],
      [{ name: 'test_webhook', description: 'Test a webhook by sending a sample event.', inputSchema: object({ id: text }) }, 'Write', /sending/],
      [{ name: 'board_items', description: 'Read board items.', inputSchema: object({ action: { type: 'string', enum: ['list', 'reorder'] } }) }, 'Write', /"reorder"/],
      [{ name: 'edit_record', description: 'Edit record fields.', inputSchema: object({ id: text, changes: { type: 'array', items: object({ op: { type: 'string', enum: ['add', 'replace', 'remove'] }, path: text, value: text }) } }) }, 'Write', /^name: verb "edit" → Write$/],
      [{ name: 'item_links', description: 'Change links between items.', inputSchema: object({ action: { type: 'string', enum: ['link', 'unlink'] }, id: text }) }, 'Write', /→ Write$/],
      // Counter-examples: code to run, a drop flag, a database migration, a plain test, a removing enum, a file unlinked.
      [{ name: 'exec_snippet', description: 'Run code.', inputSchema: object({ code: { type: 'string', description: 'Code to run' } }) }, 'Execute', /→ Execute$/],
      [{ name: 'update_index', description: 'Update an index.', inputSchema: object({ name: text, dropExisting: { type: 'boolean' } }) }, 'Destructive', /dropExisting/],
      [{ name: 'migrate_database', description: 'Apply pending migrations.', inputSchema: object({ url: text }) }, 'Execute', /migrate/],
      [{ name: 'test_connection', description: 'Test the connection.', inputSchema: object({ host: text }) }, 'Read', /^name: verb "test" → Read$/],
      [{ name: 'board_items', description: 'Board items.', inputSchema: object({ action: { type: 'string', enum: ['list', 'delete'] } }) }, 'Destructive', /"delete"/],
      [{ name: 'unlink_file', description: 'Unlink a file.', inputSchema: object({ path: text }) }, 'Destructive', /unlink/],
    ]);
  });

  describe('a tool for any record type whose types include invoices, orders or payments is Financial', () => {
    cases([
      [{ name: 'record_submit', description: 'Submit any submittable record, like a Sales Invoice or a Purchase Order.', inputSchema: object({ doctype: text, name: text }) }, 'Financial', /record type/],
      [{ name: 'update_record', description: 'Update any record. Pass the type (e.g. "Customer", "Sales Order") and fields.', inputSchema: object({ record_type: text, id: text, data: object({}) }) }, 'Financial', /record type/],
      // Counter-examples: no money type named, a read, a fixed type.
      [{ name: 'update_record', description: 'Update any record (e.g. "Contact", "Task").', inputSchema: object({ record_type: text, id: text, data: object({}) }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'get_record', description: 'Get any record, like a Sales Invoice.', inputSchema: object({ doctype: text, name: text }) }, 'Read', /^name: verb "get" → Read$/],
    ]);
  });

  describe('a job added to a queue runs; a job removed from a queue is gone', () => {
    cases([
      [{ name: 'enqueue_job', description: 'Add a job to the queue.', inputSchema: object({ queue: text, name: text, data: object({}) }) }, 'Execute', /job/],
      [{ name: 'add_job', description: 'Add a new job to the queue.', inputSchema: object({ queue: text, name: text, data: object({}) }) }, 'Execute', /job/],
      [{ name: 'remove_job', description: 'Remove a job from the queue.', inputSchema: object({ queue: text, jobId: text }) }, 'Destructive', /^name: verb "remove" → Destructive$/],
      // Counter-examples: a job posting, a member removed from a group.
      [{ name: 'add_job_posting', description: 'Add a job posting.', inputSchema: object({ title: text }) }, 'Write', /^name: verb "add" → Write$/],
      [{ name: 'add_job_note', description: 'Add a note line to a job.', inputSchema: object({ jobId: text, message: text }) }, 'Write', /^name: verb "add" → Write$/],
      [{ name: 'remove_user', description: 'Remove a user from the group.', inputSchema: object({ group: text, user: text }) }, 'Write', /link removed/],
    ]);
  });

  describe('a status set by a changing tool that can be DELETE deletes', () => {
    cases([
      [{ name: 'update_thread', description: 'Update a thread.', inputSchema: object({ id: text, threadStatus: { type: 'string', description: 'New status: OPEN, ARCHIVED, DELETE' } }) }, 'Destructive', /"threadStatus"/],
      [{ name: 'set_item_state', description: 'Set the state of items.', inputSchema: object({ items: { type: 'array', items: object({ id: text, state: { type: 'string', enum: ['active', 'archived', 'deleted'] } }) } }) }, 'Destructive', /"state"/],
      // Counter-examples: a status without a deletion, a list filtered by a deleted status.
      [{ name: 'update_thread', description: 'Update a thread.', inputSchema: object({ id: text, status: { type: 'string', description: 'New status: OPEN, ARCHIVED' } }) }, 'Write', /^name: verb "update" → Write$/],
      [{ name: 'list_threads', description: 'List threads.', inputSchema: object({ status: { type: 'string', enum: ['open', 'deleted'] } }) }, 'Read', /^name: verb "list" → Read$/],
    ]);
  });

  describe('a description that says the tool installs packages or dependencies runs their installers', () => {
    cases([
      [{ name: 'open_dashboard', description: 'Opens the dashboard in the browser. The first run installs dependencies.', inputSchema: object({ port: num }) }, 'Execute', /installs dependencies/],
      [{ name: 'setup_plugin', description: 'Set up the plugin: installs the required packages and restarts.', inputSchema: object({ name: text }) }, 'Execute', /installs the required packages/],
      // Counter-examples: installed packages listed, instructions returned.
      [{ name: 'list_packages', description: 'Lists installed packages.', inputSchema: object({}) }, 'Read', /^name: verb "list" → Read$/],
      [{ name: 'get_setup_guide', description: 'Returns how to install packages for the project.', inputSchema: object({}) }, 'Read', /^name: verb "get" → Read$/],
    ]);
  });

  describe('a breakdown or a trend of money is read', () => {
    cases([
      [{ name: 'invoice_breakdown', description: 'Breakdown of invoices by customer as a pie.', inputSchema: object({ limit: num }) }, 'Read', /breakdown/],
      [{ name: 'refund_trend', description: 'Monthly refunds as a line.', inputSchema: object({ months: num }) }, 'Read', /trend/],
      // Counter-example: a refund.
      [{ name: 'refund_order', description: 'Refund an order.', inputSchema: object({ id: text }) }, 'Financial', /refund/],
    ]);
  });

  describe('a Write class on any record type, or on an ad campaign, is marked for review', () => {
    it.each([
      [{ name: 'create_record', description: 'Create any record.', inputSchema: object({ doctype: text, data: object({}) }) }, /any record type/],
      [{ name: 'launch_campaign', description: 'Launch a campaign.', inputSchema: object({ campaignId: text }) }, /names "campaign"/],
    ])('%j is Write, marked for review', (tool, reason) => {
      const result = classifyTool(tool);
      expect(result.category).toBe('Write');
      expect(result.needsReview).toMatch(reason);
    });
    it('a record of a fixed type has no review mark', () => {
      const result = classifyTool({ name: 'create_contact', description: 'Create a contact.', inputSchema: object({ name: text, data: object({}) }) });
      expect(result.category).toBe('Write');
      expect(result.needsReview).toBeUndefined();
    });
  });

  describe('creating something in a working directory with arguments starts a process', () => {
    cases([
      [{ name: 'agent_create', description: 'Create a new agent in a new pane.', inputSchema: object({ name: text, args: { type: 'array', items: text }, cwd: text }) }, 'Execute', /"cwd"/],
      [{ name: 'new_worker', description: 'Start a worker.', inputSchema: object({ cwd: text, args: text }) }, 'Execute', /cwd|worker|start/],
      // Counter-examples: a file created in a folder, no arguments.
      [{ name: 'create_file', description: 'Create a file.', inputSchema: object({ cwd: text, path: text, content: text }) }, 'Write', /^name: verb "create" → Write$/],
    ]);
  });
});

describe('classifyTool: a Write class where money or loss may hide is marked for review (round 6)', () => {
  const { object, text } = probeSchema;
  it.each([
    [{ name: 'close_order', description: 'Close an order.', inputSchema: object({ id: text }) }, /names "order"/],
    [{ name: 'update_card', description: 'Update a saved card.', inputSchema: object({ id: text, label: text }) }, /names "card"/],
    [{ name: 'create_environment', description: 'Create an environment.', inputSchema: object({ name: text }) }, /creates a "environment"/],
    [{ name: 'add_cluster', description: 'Add a cluster.', inputSchema: object({ name: text }) }, /creates a "cluster"/],
    [{ name: 'clone_dataset', description: 'Clone a dataset to another project.', inputSchema: object({ id: text, target: text }) }, /clone into a target/],
    [{ name: 'copy_rows_between_tables', description: 'Copy rows from one table to another.', inputSchema: object({ from: text, to: text }) }, /copy into a target/],
  ])('%j is Write, marked for review', (tool, reason) => {
    const result = classifyTool(tool);
    expect(result.category).toBe('Write');
    expect(result.needsReview).toMatch(reason);
  });
  it.each([
    [{ name: 'create_note', description: 'Create a note.', inputSchema: object({ text }) }],
    [{ name: 'update_contact', description: 'Update a contact.', inputSchema: object({ id: text, email: text }) }],
    [{ name: 'add_comment', description: 'Add a comment to an issue.', inputSchema: object({ issue: text, body: text }) }],
    [{ name: 'rename_project', description: 'Rename a project.', inputSchema: object({ id: text, name: text }) }],
  ])('%j is Write with no review mark', (tool) => {
    const result = classifyTool(tool);
    expect(result.category).toBe('Write');
    expect(result.needsReview).toBeUndefined();
  });
});

describe('classifyTool: annotations are untrusted hints', () => {
  it('decides alone only when nothing else does', () => {
    expect(classifyTool({ name: 'sequentialthinking', annotations: { readOnlyHint: true } })).toMatchObject({ category: 'Read', confidence: 0.5, conflicts: [] });
    expect(category({ name: 'widget', annotations: { readOnlyHint: false } })).toBe('Write');
  });

  it('lets the higher risk win and reports the conflict', () => {
    const lying = classifyTool({ name: 'delete_everything', description: 'Deletes every record.', annotations: { readOnlyHint: true } });
    expect(lying.category).toBe('Destructive');
    expect(lying.conflicts).toEqual([
      'the server marks it read-only (readOnlyHint: true), but its name has verb "delete" (Destructive); Destructive, the higher risk, wins',
    ]);
    expect(lying.confidence).toBeLessThanOrEqual(0.5);
    expect(lying.reason).toMatch(/^Destructive because the evidence disagrees and the higher risk wins/);

    // A specific reading verb outweighs a generic "changes its environment" hint, but the tool is marked for review.
    const search = classifyTool({ name: 'API-post-search', annotations: { destructiveHint: true } });
    expect(search.category).toBe('Read');
    expect(search.conflicts[0]).toMatch(/server says it changes its environment \(destructiveHint: true\); kept Read, review it$/);
    expect(search.needsReview).toBe('its evidence conflicts');

    const notDestructive = classifyTool({ name: 'remove_user', annotations: { readOnlyHint: false, destructiveHint: false } });
    expect(notDestructive.category).toBe('Destructive');
    expect(notDestructive.conflicts[0]).toMatch(/destructiveHint: false/);
  });

  it('raises confidence when the annotations agree', () => {
    const plain = classifyTool({ name: 'read_graph' });
    const agreed = classifyTool({ name: 'read_graph', annotations: { readOnlyHint: true } });
    expect(agreed.confidence).toBeGreaterThan(plain.confidence);
    expect(plain.evidence).toContain('annotations: none declared (MCP defaults apply: not read-only, possibly destructive, open world)');
  });
});

describe('classifyTool: no evidence', () => {
  it('classes Write with low confidence so a person reviews it', () => {
    expect(classifyTool({ name: 'frobnicate' })).toMatchObject({ category: 'Write', risk: 'Medium', confidence: 0.3 });
  });
});

describe('classifyTool on MCP-Slicer', () => {
  it('agrees with the hand-reviewed built-in catalog', () => {
    for (const tool of mcpSlicer.tools) {
      expect(category({ name: tool.name, description: tool.summary, inputSchema: tool.inputSchema }), tool.name).toBe(tool.category);
    }
  });
});

describe('classifyTool: properties', () => {
  const toolArbitrary = fc.record({
    name: fc.string({ minLength: 1, maxLength: 40 }),
    description: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
    title: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    inputSchema: fc.option(fc.jsonValue(), { nil: undefined }),
    annotations: fc.option(fc.record({ readOnlyHint: fc.option(fc.boolean(), { nil: undefined }), destructiveHint: fc.option(fc.boolean(), { nil: undefined }) }), { nil: undefined }),
  });

  it('always answers with a valid class, a matching risk, a confidence in (0, 1) and evidence, deterministically', () => {
    fc.assert(
      fc.property(toolArbitrary, (tool) => {
        const result = classifyTool(tool);
        expect(CATEGORIES).toContain(result.category);
        expect(result.risk).toBe(RISK_OF_CATEGORY[result.category]);
        expect(result.confidence).toBeGreaterThan(0);
        expect(result.confidence).toBeLessThan(1);
        expect(result.evidence.length).toBeGreaterThan(0);
        expect(classifyTool(structuredClone(tool))).toEqual(result);
      }),
    );
  });

  it('a readOnlyHint: true never lowers the class its other evidence gives', () => {
    const rank = (c: string) => CATEGORIES.indexOf(c as (typeof CATEGORIES)[number]);
    fc.assert(
      fc.property(toolArbitrary, (tool) => {
        const without = classifyTool({ ...tool, annotations: undefined });
        const claimed = classifyTool({ ...tool, annotations: { readOnlyHint: true } });
        if (without.confidence > 0.3) expect(rank(claimed.category)).toBeGreaterThanOrEqual(rank(without.category));
      }),
    );
  });
});
