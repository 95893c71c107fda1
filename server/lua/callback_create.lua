-- Stores a callback request (AOF makes it survive restarts) and schedules it.
-- KEYS: callback, callbacks_pending
-- ARGV: id, due_ms, then field, value pairs
local id, due = ARGV[1], tonumber(ARGV[2])
local key, pending = KEYS[1], KEYS[2]
if redis.call('EXISTS', key) == 1 then return redis.error_reply('conflict') end
local fields = {}
for i = 3, #ARGV do table.insert(fields, ARGV[i]) end
redis.call('HSET', key, 'id', id, 'state', 'pending', 'due_at', due, 'attempts', '[]', unpack(fields))
redis.call('ZADD', pending, due, id)
publish({kind = 'callbacks_changed'})
return 'ok'
