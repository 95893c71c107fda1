-- Records a call attempt by the advisor holding the claim. Done outcomes complete the callback;
-- others make it due again.
-- KEYS: callback, callbacks_pending
-- ARGV: id, advisor, attempt_json, done ('1'/'0'), next_due_ms, retention_s
local id, adv, attempt, done, next_due, retention = ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1', tonumber(ARGV[5]), tonumber(ARGV[6])
local key, pending = KEYS[1], KEYS[2]
local c = redis.call('HMGET', key, 'state', 'claimed_by', 'attempts')
if not c[1] then return redis.error_reply('not_found') end
if c[1] ~= 'claimed' or c[2] ~= adv then return redis.error_reply('conflict') end
local attempts = cjson.decode(c[3])
table.insert(attempts, cjson.decode(attempt))
redis.call('HSET', key, 'attempts', cjson.encode(attempts))
redis.call('HDEL', key, 'claimed_by', 'claim_until')
if done then
  redis.call('HSET', key, 'state', 'done')
  redis.call('ZREM', pending, id)
  redis.call('EXPIRE', key, retention)
else
  redis.call('HSET', key, 'state', 'pending', 'due_at', next_due)
  redis.call('ZADD', pending, next_due, id)
end
publish({kind = 'callbacks_changed'})
return redis.call('HGETALL', key)
