-- An advisor declines (or leaves) offers. With an id, that offer (KEYS 3-4 are its conversation);
-- with none, every offer of the advisor, whose conversations it finds in advisor_offers.
-- KEYS: offers, advisor_offers[, conversation, tried]
-- ARGV: advisor, reason, id ('' = every offer of the advisor)
local offers, adv_offers = KEYS[1], KEYS[2]
local adv, reason, only = ARGV[1], ARGV[2], ARGV[3]
local targets = {}
if only ~= '' then
  targets = {{id = only, key = KEYS[3], tried = KEYS[4]}}
else
  for _, id in ipairs(redis.call('SMEMBERS', adv_offers)) do
    local k = conv_keys(id)
    table.insert(targets, {id = id, key = k[1], tried = k[4]})
  end
end
local n = 0
for _, t in ipairs(targets) do
  local c = redis.call('HMGET', t.key, 'state', 'offered_to')
  if c[1] == 'offered' and c[2] == adv then
    redis.call('HSET', t.key, 'state', 'queued')
    redis.call('HDEL', t.key, 'offered_to', 'offer_expires_at')
    redis.call('ZREM', offers, t.id)
    redis.call('SREM', adv_offers, t.id)
    redis.call('SADD', t.tried, adv)
    publish({kind = 'offer_withdrawn', conv = t.id, advisor = adv, reason = reason})
    n = n + 1
  elseif only ~= '' then
    return redis.error_reply('conflict')
  end
end
if n > 0 then publish({kind = 'queue_changed'}) end
return n
