-- The visitor who asked for a callback takes it back (from the widget's confirmation): cancelled
-- and out of the list at once, unless an advisor has already claimed it (they may be dialling).
-- The phone number is removed with it: nothing is kept for a call nobody will make.
-- KEYS: callback, callbacks_pending
-- ARGV: id, now_ms, retention_s
local id, now, retention = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local key, pending = KEYS[1], KEYS[2]
local st = redis.call('HGET', key, 'state')
if not st then return redis.error_reply('not_found') end
if st == 'cancelled' then return 'cancelled' end
if st ~= 'pending' then return redis.error_reply('conflict') end
redis.call('HSET', key, 'state', 'cancelled', 'cancelled_at', now)
redis.call('HDEL', key, 'phone', 'note')
redis.call('ZREM', pending, id)
redis.call('EXPIRE', key, retention)
publish({kind = 'callbacks_changed'})
return 'cancelled'
