import { describe, expect, it } from 'vitest';
import { classifyTool } from '../../src/catalog/classify.js';
import { bool, cases, object, text } from '../helpers/classify-probes.js';

/**
 * Fresh probes of the eleventh round's kinds (docs/dev/catalog-classifier.md, section 22): invented tools with other
 * names, nouns and parameters than the round's servers, each with counter-examples that must keep their class, each
 * checking the class and the deciding evidence line.
 */
const routerSchema = object({ intent: text, command: text, parameters: object({}), learn: bool });
const ROUTING = ' This tool is a hierarchical command router. Sub commands are routed by "command"; set learn=true to discover them.';

describe('classifyTool: fresh probes of the eleventh round\'s kinds', () => {
  describe('a command router: its command names a sub-command, its description says what the commands do', () => {
    cases([
      [{ name: 'billing_router', description: `Billing operations - Commands for listing and getting invoices.${ROUTING}`, inputSchema: routerSchema }, 'Read', /command router .*"listing"/],
      // Changes named, the commands hidden: any of them may remove (the cautious class, as for a "Manage X" free action).
      [{ name: 'dns', description: `DNS operations - Commands for creating and updating records in a zone.${ROUTING}`, inputSchema: routerSchema }, 'Destructive', /"creating".*a change among hidden commands/],
      [{ name: 'volumes', description: `Volume operations - Commands for listing, resizing and deleting volumes.${ROUTING}`, inputSchema: routerSchema }, 'Destructive', /command router .*"deleting"/],
      [{ name: 'warehouse', description: `Warehouse operations - Commands for listing tables and executing SQL statements.${ROUTING}`, inputSchema: routerSchema }, 'Execute', /command router .*"executing"/],
      // Written after the first router rule was measured: commands that create billed infrastructure, KQL that only reads.
      [{ name: 'clusters', description: `Cluster operations - Use this tool when you need to list, create, or monitor clusters.${ROUTING}`, inputSchema: routerSchema }, 'Financial', /"create" of "clusters"/],
      [{ name: 'logs_router', description: `Log operations - Commands for listing workspaces and executing KQL queries.${ROUTING}`, inputSchema: routerSchema }, 'Read', /→ Read$/],
      [{ name: 'health', description: `Health operations - Primary tool for diagnosing and troubleshooting resource issues.${ROUTING}`, inputSchema: routerSchema }, 'Read', /"diagnosing"/],
      // The schema's shape alone (a free command, its parameters and a flag that lists the commands) is a router too.
      [{ name: 'queues', description: 'Queue operations: use this tool to list and peek at messages.', inputSchema: routerSchema }, 'Read', /command router .*"list"/],
      // A gerund of purpose, and a sentence saying what it is not for, name no operation of the router.
      [{ name: 'guides', description: `Guidance operations - Commands return best practices for building and deploying apps. Not for running deployments.${ROUTING}`, inputSchema: routerSchema }, 'Write', /^no action verb/],
      // Counter-examples: a shell command, a CLI run with arguments (no sub-commands named, no discovery flag).
      [{ name: 'run_command', description: 'Run a shell command.', inputSchema: object({ command: text }) }, 'Execute', /Execute/],
      [{ name: 'cli_exec', description: 'Run any command of the CLI with its options.', inputSchema: object({ command: text, options: object({}) }) }, 'Execute', /Execute/],
    ]);
    it('marks a router for review: its commands are not in its schema', () => {
      const result = classifyTool({ name: 'volumes', description: `Commands for listing volumes.${ROUTING}`, inputSchema: routerSchema });
      expect(result.needsReview).toMatch(/command router/);
    });
  });

  describe('replacing all of a thing\'s contents removes what the call leaves out', () => {
    cases([
      [{ name: 'replace_sheet_rows', description: 'Replace all rows in a sheet with the given CSV.', inputSchema: object({ sheetId: text, csv: text }) }, 'Destructive', /replace all rows/i],
      [{ name: 'set_board_widgets', description: 'Set the widgets of a board. Replaces the entire widget layout.', inputSchema: object({ boardId: text, widgets: { type: 'array' } }) }, 'Destructive', /replaces the entire widget layout/i],
      [{ name: 'put_folder', description: 'Replace a folder definition. Without item IDs the endpoint removes the existing items and creates new ones.', inputSchema: object({ folderId: text, folder: object({}) }) }, 'Destructive', /removes the existing items/i],
      // Counter-examples: text replaced inside a file, one field replaced.
      [{ name: 'replace_in_file', description: 'Replace all occurrences of a string in a file.', inputSchema: object({ path: text, find: text, replace: text }) }, 'Write', /^name: verb "replace"/],
      [{ name: 'update_title', description: 'Replace the title of a page.', inputSchema: object({ pageId: text, title: text }) }, 'Write', /^name: verb "update"/],
    ]);
  });

  describe('an action enum that lists operations decides also on a name that reads', () => {
    cases([
      [{ name: 'page_logs', description: 'Page log tools.', inputSchema: object({ action: { type: 'string', enum: ['get_logs', 'wipe'] } }) }, 'Destructive', /"wipe"/],
      [{ name: 'alerts', description: 'Work with alerts.', inputSchema: object({ action: { type: 'string', enum: ['list', 'get', 'create', 'mute'] } }) }, 'Write', /"create"|"mute"/],
      // Counter-examples: an audit log filtered by the kind of action recorded (no reading operation among the values), and a
      // name whose verb reads (`query_database(action: run_query | list_tables)`: the verb says what the tool does).
      [{ name: 'query_database', description: 'Query a database.', inputSchema: object({ action: { type: 'string', enum: ['list_tables', 'run_query'] } }) }, 'Read', /^name: verb "query"/],
      [{ name: 'list_audit_entries', description: 'List audit entries.', inputSchema: object({ action: { type: 'string', enum: ['create', 'update', 'delete'] } }) }, 'Read', /^name: verb "list"/],
    ]);
  });

  describe('a delete made as a commit stays in the history; one without a commit destroys', () => {
    cases([
      [{ name: 'remove_repo_file', description: 'Delete a file in a repository.', inputSchema: object({ repo: text, path: text, branch: text, commitMessage: text }) }, 'Write', /commit/],
      [{ name: 'delete_document', description: 'Delete a document from the wiki repository.', inputSchema: object({ path: text, commit_message: text }) }, 'Write', /commit/],
      // Counter-examples: a file deleted from disk, a branch deleted.
      [{ name: 'delete_file', description: 'Delete a file.', inputSchema: object({ path: text }) }, 'Destructive', /^name: verb "delete"/],
      [{ name: 'delete_branch', description: 'Delete a branch.', inputSchema: object({ repo: text, branch: text }) }, 'Destructive', /^name: verb "delete"/],
    ]);
  });

  describe('deleting a link between two records keeps both records', () => {
    cases([
      [{ name: 'delete_issue_dependency', description: 'Delete a dependency between two issues without deleting either issue.', inputSchema: object({ from: text, to: text }) }, 'Write', /without deleting/],
      [{ name: 'delete_ticket_case_link', description: 'Remove a test case link from a ticket.', inputSchema: object({ ticketId: text, linkId: text }) }, 'Write', /from a ticket|link removed/],
      // Counter-examples: relations of a knowledge graph (the data itself), a ticket deleted.
      [{ name: 'delete_relations', description: 'Delete multiple relations from the knowledge graph.', inputSchema: object({ relations: { type: 'array' } }) }, 'Destructive', /^name: verb "delete"/],
      [{ name: 'delete_ticket', description: 'Delete a ticket.', inputSchema: object({ ticketId: text }) }, 'Destructive', /^name: verb "delete"/],
    ]);
  });

  describe('terminating a run stops it; terminating a machine destroys it', () => {
    cases([
      [{ name: 'halt_build_job', description: 'Stop/terminate a running build job.', inputSchema: object({ jobId: text }) }, 'Write', /"halt"|"stop"/],
      [{ name: 'abort_workflow_run', description: 'Abort a workflow run.', inputSchema: object({ runId: text }) }, 'Write', /abort/],
      // Counter-example: an instance terminated.
      [{ name: 'stop_instance', description: 'Stop/terminate an instance.', inputSchema: object({ id: text }) }, 'Destructive', /terminate/],
    ]);
  });

  describe('passing or refusing a manual gate is an approval', () => {
    cases([
      [{ name: 'refuse_stage_gate', description: 'Refuse a manual checkpoint in a release.', inputSchema: object({ gateId: text }) }, 'Write', /"refuse"/],
      [{ name: 'pass_deploy_check', description: 'Pass a manual checkpoint.', inputSchema: object({ checkId: text }) }, 'Write', /"pass"/],
      [{ name: 'pass_release_validate', description: 'Pass a validation gate of a release stage.', inputSchema: object({ stageId: text }) }, 'Write', /"pass"/],
    ]);
  });

  describe('an application or software delivery is no paid delivery', () => {
    cases([
      [{ name: 'skip_stage_job', description: '[application delivery] Skip a job of a release stage.', inputSchema: object({ jobId: text }) }, 'Write', /"skip"/],
      // Counter-example: a meal delivery skipped.
      [{ name: 'skip_delivery', description: 'Skip next week\'s meal delivery.', inputSchema: object({ week: text }) }, 'Financial', /delivery/],
    ]);
  });

  describe('deleting a sharing link stops the sharing; the shared thing is kept', () => {
    cases([
      [{ name: 'delete_report_public_link', description: 'Remove the public sharing link of a report.', inputSchema: object({ reportId: text }) }, 'Write', /sharing|public link/],
      [{ name: 'revoke_share_link', description: 'Delete the share link of a file.', inputSchema: object({ fileId: text }) }, 'Write', /share link|revoke/],
      // Counter-example: the report deleted.
      [{ name: 'delete_report', description: 'Delete a report.', inputSchema: object({ reportId: text }) }, 'Destructive', /^name: verb "delete"/],
    ]);
  });

  describe('running a saved question or report returns its results', () => {
    cases([
      [{ name: 'execute_saved_question', description: 'Execute a saved question and return its rows.', inputSchema: object({ questionId: text }) }, 'Read', /question/],
      [{ name: 'run_report', description: 'Run a report and return the results.', inputSchema: object({ reportId: text }) }, 'Read', /report/],
      // Counter-examples: a SQL query, a script.
      [{ name: 'execute_query', description: 'Execute a SQL query.', inputSchema: object({ sql: text }) }, 'Execute', /Execute/],
      [{ name: 'run_script', description: 'Run a script.', inputSchema: object({ scriptId: text }) }, 'Execute', /Execute/],
    ]);
  });

  describe('discarding cached values resets transient state', () => {
    cases([
      [{ name: 'discard_field_values', description: 'Discard cached field values of a table.', inputSchema: object({ tableId: text }) }, 'Write', /cache/],
      // Counter-example: discarding changes in a working tree.
      [{ name: 'discard_changes', description: 'Discard uncommitted changes in the working tree.', inputSchema: object({ repo: text }) }, 'Destructive', /discard/],
    ]);
  });

  describe('a migration named as when, not what, runs nothing', () => {
    cases([
      [{ name: 'refresh_metadata', description: 'Refresh the cached metadata, e.g. after a schema migration.', inputSchema: object({ databaseId: text }) }, 'Write', /^name: verb "refresh"/],
      // Counter-example: migrations applied.
      [{ name: 'apply_changes', description: 'Apply pending schema migrations to the database.', inputSchema: object({ databaseId: text }) }, 'Execute', /apply|migration/],
    ]);
  });

  describe('a PDF from the current page is handed back like a screenshot', () => {
    cases([
      [{ name: 'page_pdf', description: 'Render a PDF from the current page.', inputSchema: object({ path: text }) }, 'Read', /PDF/i],
    ]);
  });

  describe('fixing something edits it', () => {
    cases([
      [{ name: 'healer_fix_spec', description: 'Apply a fix to a spec file.', inputSchema: object({ path: text, content: text }) }, 'Write', /"fix"|"apply"/],
    ]);
  });

  describe('releasing a task, a lock or a claim hands it back', () => {
    cases([
      [{ name: 'release_lock', description: 'Release a lock held by this agent.', inputSchema: object({ lockId: text }) }, 'Write', /"release" of a "lock"/],
      [{ name: 'tasks', description: 'Task operations.', inputSchema: object({ action: { type: 'string', enum: ['checkout_task', 'release_task', 'complete_task'] } }) }, 'Write', /release_task|complete_task|checkout_task/],
      // Counter-example: an IP address released.
      [{ name: 'release_ip', description: 'Release a reserved IP address.', inputSchema: object({ ip: text }) }, 'Destructive', /release/],
    ]);
  });

  describe('a subscription to events and an add/remove pair in a listed description are no money and no loss', () => {
    cases([
      [{ name: 'manage_feeds', description: 'Manage feeds: subscribe to project events, get recent events.', inputSchema: object({ action: { type: 'string', enum: ['subscribe', 'get_recent'] } }) }, 'Write', /subscribe/],
      [{ name: 'manage_cycles', description: 'Manage cycles: create, list, update cycles; add/remove issues.', inputSchema: object({ action: { type: 'string', enum: ['create', 'list', 'update', 'add_issues', 'remove_issues'] } }) }, 'Write', /lists operations/],
      // Counter-examples: a plan subscribed to, a list that deletes.
      [{ name: 'manage_plans', description: 'Manage plans: subscribe to a paid plan, cancel it.', inputSchema: object({ action: { type: 'string', enum: ['subscribe', 'cancel'] } }) }, 'Financial', /subscribe/],
      [{ name: 'manage_cycles_hard', description: 'Manage cycles: create, list, update, delete cycles.', inputSchema: object({ action: { type: 'string', enum: ['create', 'list', 'update', 'delete'] } }) }, 'Destructive', /delete/],
    ]);
  });

  describe('removing a protection or a member changes a setting', () => {
    cases([
      [{ name: 'delete_tag_protection', description: 'Delete the protection rules of a tag.', inputSchema: object({ tag: text }) }, 'Write', /protection/],
      [{ name: 'delete_project_member', description: 'Delete a member of a project.', inputSchema: object({ projectId: text, userId: text }) }, 'Write', /member/],
      // Counter-example: a user account deleted.
      [{ name: 'delete_user', description: 'Delete a user account.', inputSchema: object({ userId: text }) }, 'Destructive', /^name: verb "delete"/],
    ]);
  });

  describe('resuming a deployment or a pipeline runs the rest of it', () => {
    cases([
      [{ name: 'resume_rollout', description: 'Resume a paused rollout.', inputSchema: object({ id: text }) }, 'Execute', /deploy|rollout/],
      [{ name: 'resume_pipeline_run', description: 'Resume a paused pipeline run.', inputSchema: object({ runId: text }) }, 'Execute', /pipeline/],
      // Counter-examples: a paused timer resumed, a paused deployment (a site) resumed to serve.
      [{ name: 'resume_deployment', description: 'Resume a paused deployment.', inputSchema: object({ id: text }) }, 'Write', /^name: verb "resume"/],
      [{ name: 'resume_timer', description: 'Resume a paused timer.', inputSchema: object({ id: text }) }, 'Write', /^name: verb "resume"/],
    ]);
  });

  describe('a flag that deletes the merged branch when a change request ends loses nothing', () => {
    cases([
      [{ name: 'create_merge_request', description: 'Create a merge request.', inputSchema: object({ source: text, target: text, deleteSourceBranch: bool }) }, 'Write', /^name: verb "create"/],
      [{ name: 'create_change_request', description: 'Create a change request.', inputSchema: object({ branch: text, autoDeleteBranchWhenEnd: bool }) }, 'Write', /^name: verb "create"/],
      // Counter-example: a flag that deletes the target's data.
      [{ name: 'import_rows', description: 'Import rows into a table.', inputSchema: object({ table: text, deleteExistingRows: bool }) }, 'Destructive', /deleteExistingRows/],
    ]);
  });

  describe('running a live session opens it', () => {
    cases([
      [{ name: 'run_device_session', description: 'Run a live session on a cloud device.', inputSchema: object({ device: text, url: text }) }, 'Write', /session/],
      // Counter-examples: code run in a session, a shell session.
      [{ name: 'run_in_session', description: 'Run code in a session.', inputSchema: object({ code: text }) }, 'Execute', /Execute/],
      [{ name: 'run_shell_session', description: 'Run a shell session command.', inputSchema: object({ command: text }) }, 'Execute', /Execute/],
    ]);
  });
});
