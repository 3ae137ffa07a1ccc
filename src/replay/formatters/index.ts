import type { ChalkInstance } from 'chalk';
import type { Io } from '../../output/io.js';
import type { ReplayFormat } from '../formats.js';
import type { ReplaySink } from '../replay.js';
import type { ReplayFormatOptions } from './describe.js';
import { githubReplay } from './github.js';
import { jsonReplay } from './json.js';
import { junitReplay } from './junit.js';
import { markdownReplay } from './markdown.js';
import { stylishReplay } from './stylish.js';


export function replayFormatter(format: ReplayFormat, io: Io, color: ChalkInstance, options: ReplayFormatOptions & { failOnChange: boolean }): ReplaySink {
  switch (format) {
    case 'stylish':
      return stylishReplay(io, color, options);
    case 'json':
      return jsonReplay(io, options);
    case 'junit':
      return junitReplay(io, options);
    case 'github':
      return githubReplay(io, options);
    case 'markdown':
      return markdownReplay(io, options);
  }
}
