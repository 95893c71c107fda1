-- An advisor declines (or leaves) offers. ARGV: advisor, reason, id ('' = every offer of the advisor)
local adv, reason, only = ARGV[1], ARGV[2], ARGV[3]
local ids = {only}
if only == '' then ids = redis.call('SMEMBERS', 'hl:advisor:' .. adv .. ':offers') end
local n = 0
for _, id in ipairs(ids) do
  local key = 'hl:conv:' .. id
  local c = redis.call('HMGET', key, 'state', 'offered_to')
  if c[1] == 'offered' and c[2] == adv then
    redis.call('HSET', key, 'state', 'queued')
    redis.call('HDEL', key, 'offered_to', 'offer_expires_at')
    redis.call('ZREM', 'hl:offers', id)
    redis.call('SREM', 'hl:advisor:' .. adv .. ':offers', id)
    redis.call('SADD', key .. ':tried', adv)
    redis.call('PUBLISH', 'hl:events', cjson.encode({kind = 'offer_withdrawn', conv = id, advisor = adv, reason = reason}))
    n = n + 1
  elseif only ~= '' then
    return redis.error_reply('conflict')
  end
end
if n > 0 then redis.call('PUBLISH', 'hl:events', cjson.encode({kind = 'queue_changed'})) end
return n
