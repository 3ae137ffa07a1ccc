/**
 * The ink UI bundle (dist/ui.mjs). The CLI loads it through src/ui/load.ts only when a command draws
 * on a terminal; everything here may import ink and react.
 */
export { runTop, type RunTopOptions } from './top/run-top.js';
export { promptApproval, type PromptApprovalOptions, type PromptAnswer } from './approval/prompt-approval.js';
export { runInitWizard, type RunInitWizardOptions } from './init/run-init-wizard.js';
export { runServerPicker, type RunServerPickerOptions } from './wrap/run-server-picker.js';
