-- Hands an active conversation to another advisor or to the supervisors, with a note. It goes
-- back to the front of the queue, offered to the target first; history and flags stay with it.
-- The holding advisor's set is found from the hash (a supervisor may transfer for them).
-- KEYS: conversation, tried, queue
-- ARGV: id, from_advisor, is_supervisor, to ('supervisor' or an advisor id), note, now_ms
local key, tried, queue = KEYS[1], KEYS[2], KEYS[3]
local id, from, sup, to, note, now = ARGV[1], ARGV[2], ARGV[3] == '1', ARGV[4], ARGV[5], tonumber(ARGV[6])
local c = redis.call('HMGET', key, 'state', 'advisor')
if not c[1] then return redis.error_reply('not_found') end
if c[2] ~= from and not sup then return redis.error_reply('forbidden') end
if c[1] ~= 'active' then return redis.error_reply('wrong_state') end
local holder = c[2] or from
redis.call('HSET', key, 'state', 'queued', 'transfer_to', to, 'transfer_at', now, 'transfer_note', note,
  'transfer_from', holder)
redis.call('HDEL', key, 'advisor', 'advisor_name')
redis.call('SREM', advisor_key(holder) .. ':convs', id)
redis.call('DEL', tried)
redis.call('SADD', tried, holder)
-- The front: below every other score (imminent scores are about now - 100 years).
redis.call('ZADD', queue, now - 1e13, id)
publish({kind = 'transfer', conv = id, from = holder, to = to})
publish({kind = 'queue_changed'})
return 'queued'
