import type { Command } from 'commander';
import type { CliContext } from './program.js';
export function registerDoctor(_program: Command, _context: CliContext): void {}
