-- Raises a conversation's risk level (levels never fall). A waiting conversation moves up the
-- queue at once. Publishes `risk`, and `alert` for imminent.
-- ARGV: id, level, rank, boosts_json, categories_json, flags_json, now_ms
local id, level, rank, now = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[7])
local boosts = cjson.decode(ARGV[4])
local key = 'hl:conv:' .. id
local c = redis.call('HMGET', key, 'state', 'level_rank', 'queued_at', 'advisor', 'advisor_name', 'transfer_to')
if not c[1] then return redis.error_reply('not_found') end
local old = tonumber(c[2] or '0')
if rank <= old then return old end
redis.call('HSET', key, 'level', level, 'level_rank', rank)
if (c[1] == 'queued' or c[1] == 'offered') and c[3] and not c[6] then
  redis.call('ZADD', 'hl:queue', 'XX', tonumber(c[3]) - boosts[rank + 1] * 1000, id)
  redis.call('PUBLISH', 'hl:events', cjson.encode({kind = 'queue_changed'}))
end
local ev = {kind = 'risk', conv = id, level = level, categories = cjson.decode(ARGV[5]),
            flags = cjson.decode(ARGV[6]), advisor = c[4] or '', advisor_name = c[5] or '', ts = now}
redis.call('PUBLISH', 'hl:events', cjson.encode(ev))
if level == 'imminent' then
  ev.kind = 'alert'
  redis.call('PUBLISH', 'hl:events', cjson.encode(ev))
end
return old
