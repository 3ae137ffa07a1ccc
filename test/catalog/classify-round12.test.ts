import { describe, expect, it } from 'vitest';
import { classifyTool } from '../../src/catalog/classify.js';
import { bool, cases, number, object, text } from '../helpers/classify-probes.js';

/**
 * Fresh probes of the twelfth round's kinds (docs/dev/catalog-classifier.md, section 23): invented tools with other
 * names, nouns and parameters than the round's servers, each with counter-examples that must keep their class, each
 * checking the class and the deciding evidence line.
 */

describe('classifyTool: fresh probes of the twelfth round\'s kinds', () => {
  describe('a phone number created or provisioned is bought from a carrier', () => {
    cases([
      [{ name: 'provision_phone_number', description: 'Provision a number for inbound calls.', inputSchema: object({ country: text, areaCode: text }) }, 'Financial', /phone number, which is bought/],
      [{ name: 'addPhoneNumber', description: 'Adds a number to the account.', inputSchema: object({ prefix: text }) }, 'Financial', /phone number, which is bought/],
      // Counter-examples: a number's settings changed, a phone number added to a contact, numbers listed.
      [{ name: 'update_phone_number', description: 'Update the webhook of a number.', inputSchema: object({ number: text, webhook: text }) }, 'Write', /^name: verb "update"/],
      [{ name: 'add_phone_number_to_contact', description: 'Add a phone number to a contact.', inputSchema: object({ contactId: text, phone: text }) }, 'Write', /→ Write$/],
      [{ name: 'list_phone_numbers', description: 'List the numbers you own.', inputSchema: object({}) }, 'Read', /→ Read$/],
    ]);
  });

  describe('an amount paid for the work the call posts, or a budget on a tool that states no action', () => {
    cases([
      [{ name: 'post_challenge', description: 'Post a design challenge; the best entry wins.', inputSchema: object({ title: text, reward_eur: number }) }, 'Financial', /"reward_eur" is an amount paid/],
      [{ name: 'hire_tasker', description: 'A person completes the errand for you.', inputSchema: object({ errand: text, wage: number }) }, 'Financial', /Financial/],
      [{ name: 'human_review', description: 'A reviewer looks at the text and answers.', inputSchema: object({ text, budget_usd: number }) }, 'Financial', /"budget_usd" sets the budget it spends/],
      // Counter-examples: a search filtered by a reward, a token budget, a posted message.
      [{ name: 'search_gigs', description: 'Search open gigs.', inputSchema: object({ min_reward: number }) }, 'Read', /^name: verb "search"/],
      [{ name: 'summarize_thread', description: 'Summarize a thread.', inputSchema: object({ thread: text, token_budget: number }) }, 'Read', /→ Read$/],
      [{ name: 'post_message', description: 'Post a message to a channel.', inputSchema: object({ channel: text, text }) }, 'Write', /^name: verb "post"/],
    ]);
  });

  describe('a bounty is money paid to whoever does the work', () => {
    cases([
      [{ name: 'award_bounty', description: 'Award a bounty to a researcher.', inputSchema: object({ bountyId: text, researcher: text }) }, 'Financial', /"bounty"/],
      [{ name: 'complete_bounty', description: 'Mark the work done and settle.', inputSchema: object({ bountyId: text }) }, 'Financial', /"complete" on "bounty"/],
      // Counter-examples: bounties read, a task completed.
      [{ name: 'list_bounties', description: 'List open bounties.', inputSchema: object({}) }, 'Read', /→ Read$/],
      [{ name: 'complete_task', description: 'Complete a task.', inputSchema: object({ taskId: text }) }, 'Write', /^name: verb "complete"/],
    ]);
  });

  describe('a negated charge costs nothing', () => {
    cases([
      [{ name: 'decline_entry', description: 'Decline an entry. You are not charged for declined entries.', inputSchema: object({ entryId: text }) }, 'Write', /^name: verb "decline"/],
      // Counter-example: a charge stated.
      [{ name: 'approve_entry', description: 'Approve an entry. You are charged for approved entries.', inputSchema: object({ entryId: text }) }, 'Financial', /charged for/],
    ]);
  });

  describe('a subscription to change notifications is a webhook, not a paid plan', () => {
    cases([
      [{ name: 'create_subscription', description: 'Registers a webhook to receive events when a file changes.', inputSchema: object({ resource: text, callbackUrl: text }) }, 'Write', /notifications, not a paid plan/],
      [{ name: 'renew_subscription', description: 'Extend a subscription. Change notifications keep arriving until it expires.', inputSchema: object({ id: text, expires: text }) }, 'Write', /notifications, not a paid plan/],
      // Counter-example: a paid subscription.
      [{ name: 'create_subscription', description: 'Subscribe a customer to a monthly plan.', inputSchema: object({ customer: text, price: text }) }, 'Financial', /Financial/],
    ]);
  });

  describe('grants, links and overrides deleted lose no data; soft deletes and ungrouping keep it', () => {
    cases([
      [{ name: 'delete_folder_permission', description: 'Delete a permission on a folder.', inputSchema: object({ folderId: text, permissionId: text }) }, 'Write', /a grant or a link/],
      [{ name: 'delete_linked_item', description: 'Delete a linkedItem object.', inputSchema: object({ taskId: text, linkId: text }) }, 'Write', /a grant or a link/],
      [{ name: 'delete_spam_override', description: 'Delete a sender override.', inputSchema: object({ id: text }) }, 'Write', /a grant or a link/],
      [{ name: 'delete_note', description: 'Delete a note. This is a soft delete that moves the note to the trash.', inputSchema: object({ id: text }) }, 'Write', /recoverable/],
      [{ name: 'delete_bundle', description: 'Delete a bundle. The original items remain as they were.', inputSchema: object({ id: text }) }, 'Write', /a link removed/],
      // Counter-examples: a delete that is permanent, relations of a knowledge graph (the data itself), a tag removed from the system.
      [{ name: 'delete_note', description: 'Delete a note. This cannot be undone.', inputSchema: object({ id: text }) }, 'Destructive', /Destructive/],
      [{ name: 'delete_relations', description: 'Delete relations from the knowledge graph.', inputSchema: object({ ids: { type: 'array' } }) }, 'Destructive', /Destructive/],
      [{ name: 'delete_label', description: 'Remove label from system.', inputSchema: object({ id: text }) }, 'Destructive', /Destructive/],
      [{ name: 'remove_label_from_card', description: 'Remove a label from a card.', inputSchema: object({ cardId: text, label: text }) }, 'Write', /→ Write$/],
    ]);
    it('"To permanently delete, …" says how another call destroys, not this one', () => {
      const result = classifyTool({ name: 'delete_message', description: 'Delete a message. This is a soft delete that moves it to Deleted Items. To permanently delete, delete it again from Deleted Items.', inputSchema: object({ id: text }) });
      expect(result.category).toBe('Write');
    });
  });

  describe('verbs the vocabulary lacked, so a blanket annotation decided', () => {
    const changing = { readOnlyHint: false, destructiveHint: true };
    cases([
      [{ name: 'format_cells', description: 'Format a range of cells.', inputSchema: object({ range: text }), annotations: changing }, 'Write', /^name: verb "format"/],
      [{ name: 'sort_rows', description: 'Sort the rows of a sheet.', inputSchema: object({ sheet: text }), annotations: changing }, 'Write', /^name: verb "sort"/],
      [{ name: 'snooze_alert', description: 'Postpone an alert.', inputSchema: object({ id: text, until: text }), annotations: changing }, 'Write', /^name: verb "snooze"/],
      [{ name: 'simulate_route', description: 'Simulate a request through the routing rules.', inputSchema: object({ path: text }) }, 'Read', /^name: verb "simulate"/],
      // Counter-example: a verb that does destroy keeps the annotation's class.
      [{ name: 'purge_cells', description: 'Purge a range of cells.', inputSchema: object({ range: text }), annotations: changing }, 'Destructive', /Destructive/],
    ]);
  });

  describe('operations listed bare share the object after the last one; an enum choice is no code', () => {
    cases([
      [{ name: 'manage_labels', description: 'Adds, removes, or replaces labels on many issues.', inputSchema: object({ issues: { type: 'array' }, labels: { type: 'array' } }) }, 'Write', /→ Write$/],
      [{ name: 'manage_item_tags', description: 'Applies a tag command to items.', inputSchema: object({ command: { type: 'string', enum: ['add', 'remove', 'remove_all'] }, tags: { type: 'array' } }) }, 'Write', /→ Write$/],
      // Counter-examples: records removed, a free command.
      [{ name: 'manage_rows', description: 'Adds, updates, or removes rows in a table.', inputSchema: object({ rows: { type: 'array' } }) }, 'Destructive', /Destructive/],
      [{ name: 'manage_host', description: 'Runs a command on the host.', inputSchema: object({ command: text }) }, 'Execute', /Execute/],
    ]);
  });

  describe('a fetch triggered and a name discarded change no code and no data', () => {
    cases([
      // (First written as `trigger_bank_fetch`: "bank" in the name is a money noun and made it Financial, a kind left.)
      [{ name: 'trigger_account_fetch', description: 'Trigger a fetch of the latest data from the provider.', inputSchema: object({ accountId: text }) }, 'Write', /"trigger" of "fetch"/],
      [{ name: 'upload_file', description: 'Upload a file.', inputSchema: object({ file: text, discard_original_filename: bool }) }, 'Write', /^name: verb "upload"/],
      // Counter-examples: a pipeline triggered, a flag that discards the file's contents.
      [{ name: 'trigger_pipeline', description: 'Trigger a pipeline.', inputSchema: object({ id: text }) }, 'Execute', /Execute/],
      [{ name: 'upload_file', description: 'Upload a file.', inputSchema: object({ file: text, discard_existing: bool }) }, 'Destructive', /discard_existing/],
    ]);
  });
});
