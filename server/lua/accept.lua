-- An advisor accepts the offer made to them.
-- KEYS: conversation, tried, queue, offers, advisor_offers, advisor_conversations, advisor_wrapups
-- ARGV: id, advisor, name, now_ms, capacity
local key, tried, queue, offers = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local adv_offers, adv_convs, adv_wrapups = KEYS[5], KEYS[6], KEYS[7]
local id, adv, name, now, cap = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local c = redis.call('HMGET', key, 'state', 'offered_to', 'queued_at', 'transfer_from')
if not c[1] then return redis.error_reply('not_found') end
-- A wrap-up due comes first (docs/protocol.md: accept is wrong_state until it is done).
if redis.call('SCARD', adv_wrapups) > 0 then return redis.error_reply('wrong_state') end
if c[1] ~= 'offered' or c[2] ~= adv then return redis.error_reply('conflict') end
if redis.call('SCARD', adv_convs) >= cap then return redis.error_reply('limit_reached') end
redis.call('HSET', key, 'state', 'active', 'advisor', adv, 'advisor_name', name)
redis.call('HSETNX', key, 'accepted_at', now)
redis.call('HDEL', key, 'offered_to', 'offer_expires_at', 'transfer_to', 'transfer_at')
redis.call('ZREM', queue, id)
redis.call('ZREM', offers, id)
redis.call('SREM', adv_offers, id)
redis.call('SADD', adv_convs, id)
redis.call('DEL', tried)
publish({kind = 'joined', conv = id, advisor = adv, name = name, transferred = c[4] ~= false and c[4] ~= nil})
publish({kind = 'queue_changed'})
return now - tonumber(c[3] or now)
