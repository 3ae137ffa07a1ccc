/** Output formats of `policylayer test`; a module of its own so the CLI can validate flags without loading the formatters. */
export const TEST_FORMATS = ['stylish', 'json', 'junit', 'markdown'] as const;
export type TestFormat = (typeof TEST_FORMATS)[number];
