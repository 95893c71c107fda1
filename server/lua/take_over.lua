-- A supervisor takes over an active conversation from its advisor (who loses it at once); the
-- visitor is told a new person has joined. The previous advisor's set is found from the hash.
-- KEYS: conversation, supervisor's advisor_conversations
-- ARGV: id, supervisor_id, supervisor_name, now_ms
local key, sup_convs = KEYS[1], KEYS[2]
local id, sup, name, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local c = redis.call('HMGET', key, 'state', 'advisor')
if not c[1] then return redis.error_reply('not_found') end
if c[1] ~= 'active' then return redis.error_reply('wrong_state') end
if c[2] == sup then return redis.error_reply('conflict') end
redis.call('HSET', key, 'advisor', sup, 'advisor_name', name, 'taken_over_at', now, 'transfer_from', c[2] or '')
if c[2] then redis.call('SREM', advisor_key(c[2]) .. ':convs', id) end
redis.call('SADD', sup_convs, id)
publish({kind = 'joined', conv = id, advisor = sup, name = name, transferred = true, from = c[2] or ''})
return c[2] or ''
