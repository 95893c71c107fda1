-- An advisor accepts the offer made to them. ARGV: id, advisor, name, now_ms, capacity
local id, adv, name, now, cap = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local key = 'hl:conv:' .. id
local c = redis.call('HMGET', key, 'state', 'offered_to', 'queued_at', 'transfer_from')
if not c[1] then return redis.error_reply('not_found') end
if c[1] ~= 'offered' or c[2] ~= adv then return redis.error_reply('conflict') end
if redis.call('SCARD', 'hl:advisor:' .. adv .. ':convs') >= cap then return redis.error_reply('limit_reached') end
if redis.call('SCARD', 'hl:advisor:' .. adv .. ':wrapups') > 0 then return redis.error_reply('wrong_state') end
redis.call('HSET', key, 'state', 'active', 'advisor', adv, 'advisor_name', name)
redis.call('HSETNX', key, 'accepted_at', now)
redis.call('HDEL', key, 'offered_to', 'offer_expires_at', 'transfer_to', 'transfer_at')
redis.call('ZREM', 'hl:queue', id)
redis.call('ZREM', 'hl:offers', id)
redis.call('SREM', 'hl:advisor:' .. adv .. ':offers', id)
redis.call('SADD', 'hl:advisor:' .. adv .. ':convs', id)
redis.call('DEL', key .. ':tried')
redis.call('PUBLISH', 'hl:events', cjson.encode({kind = 'joined', conv = id, advisor = adv, name = name,
  transferred = c[4] ~= false and c[4] ~= nil}))
redis.call('PUBLISH', 'hl:events', cjson.encode({kind = 'queue_changed'}))
return now - tonumber(c[3] or now)
