-- The advisor's last console connection on a node closed: no more offers until a connection
-- heartbeats again; pending offers move on at once. The chosen presence (available/away) is kept
-- so a console that reconnects with its token carries on. The offered conversations' keys are
-- found in advisor_offers.
-- KEYS: advisors_online, offers, advisor_offers
-- ARGV: advisor
local online, offers, adv_offers = KEYS[1], KEYS[2], KEYS[3]
local adv = ARGV[1]
redis.call('ZREM', online, adv)
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', adv_offers)) do
  local k = conv_keys(id)
  if redis.call('HGET', k[1], 'offered_to') == adv then
    redis.call('HSET', k[1], 'state', 'queued')
    redis.call('HDEL', k[1], 'offered_to', 'offer_expires_at')
    redis.call('ZREM', offers, id)
    redis.call('SADD', k[4], adv)
    n = n + 1
  end
  redis.call('SREM', adv_offers, id)
end
if n > 0 then publish({kind = 'queue_changed'}) end
return n
