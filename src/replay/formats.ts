/** Output formats of `policylayer replay`; a module of its own so the CLI can validate flags without loading the formatters. */
export const REPLAY_FORMATS = ['stylish', 'json', 'junit', 'github', 'markdown'] as const;
export type ReplayFormat = (typeof REPLAY_FORMATS)[number];
