import { processIo } from '../output/io.js';
import { main } from './main.js';

// `policylayer lint | head` closes stdout early; that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

void main(process.argv.slice(2), processIo()).then((code) => { process.exitCode = code; });
