-- The advisor's last console connection on a node closed: no more offers until a connection
-- heartbeats again; pending offers move on at once. The chosen presence (available/away) is kept
-- so a console that reconnects with its token carries on. ARGV: advisor
local adv = ARGV[1]
redis.call('ZREM', 'hl:advisors:online', adv)
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', 'hl:advisor:' .. adv .. ':offers')) do
  local key = 'hl:conv:' .. id
  if redis.call('HGET', key, 'offered_to') == adv then
    redis.call('HSET', key, 'state', 'queued')
    redis.call('HDEL', key, 'offered_to', 'offer_expires_at')
    redis.call('ZREM', 'hl:offers', id)
    redis.call('SADD', key .. ':tried', adv)
    n = n + 1
  end
  redis.call('SREM', 'hl:advisor:' .. adv .. ':offers', id)
end
if n > 0 then redis.call('PUBLISH', 'hl:events', cjson.encode({kind = 'queue_changed'})) end
return n
