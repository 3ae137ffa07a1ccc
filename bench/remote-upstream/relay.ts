// The proxy's place on the upstream path, without the policy: stdio lines in and out, HttpUpstream
// to the server. `npm run bench` measures this against the SDK client talking HTTP directly; once
// the proxy core runs on HttpUpstream, the proxy itself replaces this relay.
import { HttpUpstream } from '../../src/transport/http-upstream.js';

const upstream = await HttpUpstream.connect({ url: new URL(process.argv[2]!), log: (message) => process.stderr.write(`relay: ${message}\n`) });
process.stdout.on('error', () => process.exit(0));
process.stdin.pipe(upstream.stdin);
upstream.stdout.pipe(process.stdout);
process.stdin.on('end', () => void upstream.stop(1000).then(() => process.exit(0)));
