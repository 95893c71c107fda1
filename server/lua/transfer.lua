-- Hands an active conversation to another advisor or to the supervisors, with a note. It goes
-- back to the front of the queue, offered to the target first; history and flags stay with it.
-- ARGV: id, from_advisor, is_supervisor, to ('supervisor' or an advisor id), note, now_ms
local id, from, sup, to, note, now = ARGV[1], ARGV[2], ARGV[3] == '1', ARGV[4], ARGV[5], tonumber(ARGV[6])
local key = 'hl:conv:' .. id
local c = redis.call('HMGET', key, 'state', 'advisor')
if not c[1] then return redis.error_reply('not_found') end
if c[2] ~= from and not sup then return redis.error_reply('forbidden') end
if c[1] ~= 'active' then return redis.error_reply('wrong_state') end
local holder = c[2] or from
redis.call('HSET', key, 'state', 'queued', 'transfer_to', to, 'transfer_at', now, 'transfer_note', note,
  'transfer_from', holder)
redis.call('HDEL', key, 'advisor', 'advisor_name')
redis.call('SREM', 'hl:advisor:' .. holder .. ':convs', id)
redis.call('DEL', key .. ':tried')
redis.call('SADD', key .. ':tried', holder)
-- The front: below every other score (imminent scores are about now - 100 years).
redis.call('ZADD', 'hl:queue', now - 1e13, id)
redis.call('PUBLISH', 'hl:events', cjson.encode({kind = 'transfer', conv = id, from = holder, to = to}))
redis.call('PUBLISH', 'hl:events', cjson.encode({kind = 'queue_changed'}))
return 'queued'
