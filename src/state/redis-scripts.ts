/**
 * Lua scripts run by Redis atomically: no other command runs between their first and last line, so
 * a call's counters are checked and added all together or not at all, whichever proxy sends them.
 *
 * Every script reads the server's clock (TIME) and returns it: windows are measured on that one
 * clock, never on the proxies' clocks, so a proxy whose clock runs ahead or behind cannot open a
 * window early or keep one open late. `redis.replicate_commands()` lets Redis 3.2–4 accept writes
 * after TIME (effects replication is the only mode from Redis 7 on).
 */

const clock = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** KEYS: counters. Returns {seconds, microseconds, value1, value2, …} (nil for a missing key). */
export const READ_SCRIPT = `
local t = redis.call('TIME')
local reply = {t[1], t[2]}
for i = 1, #KEYS do reply[i + 2] = redis.call('GET', KEYS[i]) end
return reply
`;

/**
 * KEYS: counters. ARGV: for each key, window start ms, window end ms, amount, max; then the expiry
 * margin ms. Returns {status, index, seconds, microseconds, value1, value2, …}: status 0 reserved;
 * -1 the counter at `index` (0-based) would exceed its max; -2 its window is not the current one on
 * the server's clock. The values are the counters as found, before this reservation (nil: absent).
 * Keys expire at their window's end plus the margin (late rollbacks still find them).
 */
export const RESERVE_SCRIPT = `${clock}
local n = #KEYS
local margin = tonumber(ARGV[4 * n + 1])
local reply = {0, 0, t[1], t[2]}
for i = 1, n do
  local base = 4 * (i - 1)
  if now < tonumber(ARGV[base + 1]) or now >= tonumber(ARGV[base + 2]) then return {-2, i - 1, t[1], t[2]} end
  reply[i + 4] = redis.call('GET', KEYS[i])
end
local pending = {}
for i = 1, n do
  local base = 4 * (i - 1)
  local key = KEYS[i]
  local after = (pending[key] or tonumber(reply[i + 4] or '0')) + tonumber(ARGV[base + 3])
  if after > tonumber(ARGV[base + 4]) then
    reply[1] = -1
    reply[2] = i - 1
    return reply
  end
  pending[key] = after
end
for i = 1, n do
  local base = 4 * (i - 1)
  redis.call('INCRBYFLOAT', KEYS[i], ARGV[base + 3])
  redis.call('PEXPIREAT', KEYS[i], tonumber(ARGV[base + 2]) + margin)
end
return reply
`;

/** KEYS: counters. ARGV: the amounts to give back, negated. Keys that already expired stay gone; values never go below 0. */
export const ROLLBACK_SCRIPT = `
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local after = tonumber(redis.call('INCRBYFLOAT', KEYS[i], ARGV[i]))
    if after < 0 then redis.call('SET', KEYS[i], '0', 'KEEPTTL') end
  end
end
return 0
`;
