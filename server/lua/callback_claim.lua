-- One advisor at a time: a claim lasts claim_ms, then anyone may claim again.
-- KEYS: callback
-- ARGV: id, advisor, now_ms, claim_ms, release ('1' = give the claim up)
local id, adv, now, claim_ms, release = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5] == '1'
local key = KEYS[1]
local c = redis.call('HMGET', key, 'state', 'claimed_by', 'claim_until')
if not c[1] then return redis.error_reply('not_found') end
if release then
  if c[1] ~= 'claimed' or c[2] ~= adv then return redis.error_reply('conflict') end
  redis.call('HSET', key, 'state', 'pending')
  redis.call('HDEL', key, 'claimed_by', 'claim_until')
else
  local free = c[1] == 'pending' or (c[1] == 'claimed' and (c[2] == adv or tonumber(c[3] or '0') < now))
  if not free then return redis.error_reply('conflict') end
  redis.call('HSET', key, 'state', 'claimed', 'claimed_by', adv, 'claim_until', now + claim_ms)
end
publish({kind = 'callbacks_changed'})
return redis.call('HGETALL', key)
