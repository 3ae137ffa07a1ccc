/**
 * Counterexamples the reader fuzzer found (or the attacks it was built from), kept as regression
 * cases: each runs through every reader on every `npm test`. Bytes as latin1 strings, so invalid
 * UTF-8 and raw CR survive exactly.
 */
export const REGRESSIONS: Record<string, string> = {
  'a call hidden in a notification between bare CRs (issue 15)':
    '{"jsonrpc":"2.0","method":"notifications/x","params":\r{"jsonrpc":"2.0","id":99,"method":"tools/call","params":{"name":"delete_everything","arguments":{}}}\r}\n',
  'cancel, then reuse the id, twelve times (issue 15)': Array.from(
    { length: 12 },
    () => '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}\n{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"slow_job","arguments":{"ms":20}}}\n',
  ).join(''),
  'two tools/list with one id (issue 15)': '{"jsonrpc":"2.0","id":5,"method":"tools/list"}\n{"jsonrpc":"2.0","id":5,"method":"tools/list"}\n',
  'a case-variant name beside the real one (CVE-2026-27896)':
    '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"list_nodes","Name":"delete_everything","arguments":{}}}\n',
  'a case-variant method alone': '{"jsonrpc":"2.0","id":8,"Method":"tools/call","params":{"name":"delete_everything","arguments":{}}}\n',
  'a case-variant argument alone': '{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"execute_python_code","arguments":{"CODE":"import subprocess"}}}\n',
  // Found by the fuzzer with the case-variant check switched off: Go reads the call under id 2.
  'a case-variant id beside the real one, in a batch': '[{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"transfer_funds","arguments":{"amount":1}},"Id":2}]\n',
  // Found with the case-insensitive argument lookup switched off.
  'a capitalised argument name alone': '{"jsonrpc":"2.0","id":"b","method":"tools/call","params":{"name":"execute_python_code","arguments":{"Code":"import subprocess"}}}\n',
  // Found with one-request-per-id switched off: the late answer to the first id filled the second.
  'a slow call, its cancel, then a tools/list under the same id':
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"slow_job","arguments":{"ms":5}}}\n{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}\n{"jsonrpc":"2.0","id":1,"method":"tools/list"}\n{"jsonrpc":"2.0","id":1,"method":"ping","name":"delete_everything"}\n',
};
